package chat.server.irc;

import static chat.server.irc.IrcHarness.ircPrefix;
import static chat.server.irc.IrcHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.core.ChatCore;
import chat.server.irc.IrcHarness.Client;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The IRCv3 capabilities and the newer commands: message tags (server-time, msgid, client tags,
 * TAGMSG), labeled-response with batch, away-notify, setname, bot mode, MONITOR, WHOX, WHO masks
 * and invisibility, WHOWAS and HELP; each as its specification words it, or as ergo does where
 * it leaves room.
 */
class IrcV3Test {

    private static final String TIME = "time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    private final IrcHarness server = new IrcHarness();

    private static String from(String nick, String rest) {
        return ":" + ircPrefix(nick) + " " + rest;
    }

    /** The tags of a line the server sent. */
    private static Map<String, String> tags(String line) {
        return IrcMessage.parse(line).tags();
    }

    /** The line without its tags. */
    private static String untagged(String line) {
        return line.startsWith("@") ? line.substring(line.indexOf(' ') + 1) : line;
    }

    /** Each of {@code clients} joins {@code channel}; what that told anyone is forgotten. */
    private void join(String channel, Client... clients) {
        for (Client client : clients) {
            client.send("JOIN " + channel);
        }
        server.settle();
    }

    // ---- server-time and msgid ----

    @Test
    void relayedMessagesCarryTimeAndMsgidOnlyForClientsThatAskedForThem() {
        Client both = server.irc("both", "server-time", "message-tags");
        Client timeOnly = server.irc("timeonly", "server-time");
        Client plain = server.irc("plain");
        Client dave = server.irc("dave");
        join("#a", both, timeOnly, plain, dave);

        dave.send("PRIVMSG #a :hello");
        String line = both.take().get(0);
        assertThat(line).matches("@" + TIME + ";msgid=[^ ;]+ " + java.util.regex.Pattern.quote(
                from("dave", "PRIVMSG #a :hello")));
        assertThat(timeOnly.take()).singleElement().asString()
                .matches("@" + TIME + " " + java.util.regex.Pattern.quote(from("dave", "PRIVMSG #a :hello")));
        assertThat(plain.take()).containsExactly(from("dave", "PRIVMSG #a :hello"));
        assertThat(dave.take()).isEmpty();
    }

    @Test
    void oneMessageHasOneMsgidForEveryRecipientAndTheEchoAndTheNextHasAnother() {
        Client alice = server.irc("alice", "message-tags", "echo-message");
        Client bob = server.irc("bob", "message-tags");
        Client carol = server.irc("carol", "message-tags", "server-time");
        join("#a", alice, bob, carol);

        alice.send("PRIVMSG #a :one");
        String echo = alice.take().get(0);
        String toBob = bob.take().get(0);
        String toCarol = carol.take().get(0);
        String msgid = tags(echo).get("msgid");
        assertThat(msgid).isNotEmpty();
        assertThat(tags(toBob).get("msgid")).isEqualTo(msgid);
        assertThat(tags(toCarol).get("msgid")).isEqualTo(msgid);
        assertThat(untagged(echo)).isEqualTo(from("alice", "PRIVMSG #a :one"));

        alice.send("PRIVMSG #a :two");
        assertThat(tags(bob.take().get(0)).get("msgid")).isNotEqualTo(msgid);
        alice.take();

        alice.send("PRIVMSG bob :private");
        String privateEcho = alice.take().get(0);
        assertThat(tags(bob.take().get(0)).get("msgid")).isEqualTo(tags(privateEcho).get("msgid"));
    }

    // ---- client tags and TAGMSG ----

    @Test
    void clientOnlyTagsReachMessageTagsClientsOnlyAndOtherTagsAreDropped() {
        Client alice = server.irc("alice", "message-tags");
        Client bob = server.irc("bob", "message-tags");
        Client carol = server.irc("carol");
        join("#a", alice, bob, carol);

        alice.send("@+example.com/reply=abc;+draft/note=a\\sb;vendor.example/x=1;msgid=forged PRIVMSG #a :hi");
        String toBob = bob.take().get(0);
        Map<String, String> tags = tags(toBob);
        assertThat(tags).containsEntry("+example.com/reply", "abc").containsEntry("+draft/note", "a b")
                .doesNotContainKey("vendor.example/x");
        assertThat(tags.get("msgid")).isNotEqualTo("forged");
        assertThat(untagged(toBob)).isEqualTo(from("alice", "PRIVMSG #a :hi"));
        assertThat(carol.take()).containsExactly(from("alice", "PRIVMSG #a :hi"));
    }

    @Test
    void aSenderWithoutMessageTagsRelaysNoTags() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob", "message-tags");
        join("#a", alice, bob);

        alice.send("@+example=1 PRIVMSG #a :hi");
        assertThat(tags(bob.take().get(0))).containsOnlyKeys("msgid");
    }

    @Test
    void tagmsgReachesMessageTagsClientsOnlyNeverNativeUsers() {
        Client carol = server.nativeUser("carol");
        Client alice = server.irc("alice", "message-tags");
        Client bob = server.irc("bob", "message-tags");
        Client plain = server.irc("plain");
        join("#lobby", alice, bob, plain);

        alice.send("@+typing=active TAGMSG #lobby");
        String toBob = bob.take().get(0);
        assertThat(untagged(toBob)).isEqualTo(from("alice", "TAGMSG #lobby"));
        assertThat(tags(toBob)).containsEntry("+typing", "active").containsKey("msgid");
        assertThat(plain.take()).isEmpty();
        assertThat(carol.take()).isEmpty();
        assertThat(alice.take()).as("no echo without echo-message, and no error").isEmpty();

        alice.send("@+typing=done TAGMSG plain", "@+typing=done TAGMSG carol");
        assertThat(plain.take()).isEmpty();
        assertThat(carol.take()).isEmpty();
        assertThat(alice.take()).isEmpty();
        alice.send("@+typing=done TAGMSG bob");
        assertThat(bob.take()).singleElement().asString().endsWith(from("alice", "TAGMSG bob"));
    }

    // ---- labeled-response and batch ----

    @Test
    void aLabeledCommandWithNoReplyIsAcked() {
        Client alice = server.irc("alice", "labeled-response", "batch");
        alice.send("@label=a1 PONG x");
        assertThat(alice.take()).containsExactly("@label=a1 " + server("ACK"));
    }

    @Test
    void aSingleReplyCarriesTheLabel() {
        Client alice = server.irc("alice", "labeled-response", "batch");
        alice.send("@label=a2 PING x");
        assertThat(alice.take()).containsExactly("@label=a2 " + server("PONG irc.test :x"));
    }

    @Test
    void severalRepliesComeInALabeledResponseBatch() {
        Client alice = server.irc("alice", "labeled-response", "batch");
        server.irc("bob");
        alice.send("@label=a3 WHOIS bob");
        List<String> lines = alice.take();
        assertThat(lines.size()).isGreaterThan(3);
        String open = lines.get(0);
        assertThat(open).matches("@label=a3 :irc\\.test BATCH \\+(\\S+) labeled-response");
        String id = open.split(" ")[3].substring(1);
        for (String inner : lines.subList(1, lines.size() - 1)) {
            assertThat(inner).startsWith("@batch=" + id + " :irc.test ").doesNotContain("label=");
        }
        assertThat(lines.get(lines.size() - 2)).endsWith(" 318 alice bob :End of /WHOIS list");
        assertThat(lines.get(lines.size() - 1)).isEqualTo(server("BATCH -" + id));
    }

    @Test
    void aLabeledMessageToSelfLabelsOnlyTheEcho() {
        Client alice = server.irc("alice", "labeled-response", "batch", "echo-message");
        alice.send("@label=a4 PRIVMSG alice :note to self");
        List<String> lines = alice.take();
        assertThat(lines).hasSize(2);
        assertThat(lines).filteredOn(l -> l.contains("label=")).singleElement().asString()
                .isEqualTo("@label=a4 " + from("alice", "PRIVMSG alice :note to self"));
        assertThat(lines).contains(from("alice", "PRIVMSG alice :note to self"));
    }

    @Test
    void aLabeledMessageToSelfWithoutEchoIsAckedAndDeliveredUnlabeled() {
        Client alice = server.irc("alice", "labeled-response", "batch");
        alice.send("@label=a5 PRIVMSG alice :hi me");
        assertThat(alice.take()).containsExactlyInAnyOrder(
                from("alice", "PRIVMSG alice :hi me"), "@label=a5 " + server("ACK"));
    }

    @Test
    void aLabeledMessageToOthersIsAckedAndTheyGetNoLabel() {
        Client alice = server.irc("alice", "labeled-response", "batch");
        Client bob = server.irc("bob", "labeled-response", "batch", "message-tags");
        alice.send("@label=a6 PRIVMSG bob :hi");
        assertThat(alice.take()).containsExactly("@label=a6 " + server("ACK"));
        assertThat(tags(bob.take().get(0))).doesNotContainKey("label");
    }

    // ---- away-notify ----

    @Test
    void roomMatesWithAwayNotifyAreToldOfAwayAndBack() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob", "away-notify");
        Client carol = server.irc("carol");
        join("#a", alice, bob, carol);

        alice.send("AWAY :lunch");
        assertThat(alice.take()).containsExactly(server("306 alice :You have been marked as being away"));
        assertThat(bob.take()).containsExactly(from("alice", "AWAY :lunch"));
        assertThat(carol.take()).isEmpty();

        alice.send("AWAY");
        assertThat(alice.take()).containsExactly(server("305 alice :You are no longer marked as being away"));
        assertThat(bob.take()).containsExactly(from("alice", "AWAY"));
        assertThat(carol.take()).isEmpty();
    }

    @Test
    void anAwayUserJoiningIsFollowedByItsAway() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob", "away-notify");
        Client carol = server.irc("carol");
        join("#a", bob, carol);
        alice.send("AWAY :gone fishing");
        server.settle();

        alice.send("JOIN #a");
        assertThat(bob.take()).containsExactly(from("alice", "JOIN #a"), from("alice", "AWAY :gone fishing"));
        assertThat(carol.take()).containsExactly(from("alice", "JOIN #a"));
    }

    // ---- invite-notify ----

    @Test
    void membersWithInviteNotifySeeInvitationsTheyCouldHaveMade() {
        Client op = server.irc("op", "invite-notify");
        Client bob = server.irc("bob", "invite-notify");
        Client carol = server.irc("carol");
        Client dave = server.irc("dave");
        Client erin = server.irc("erin");
        Client lee = server.nativeUser("lee");
        join("#a", op, bob, carol);
        lee.send("/join #a");
        server.settle();

        bob.send("INVITE dave #a");
        assertThat(bob.take()).containsExactly(server("341 bob dave :#a"));
        assertThat(dave.take()).containsExactly(from("bob", "INVITE dave #a"));
        assertThat(op.take()).containsExactly(from("bob", "INVITE dave #a"));
        assertThat(carol.take()).as("no invite-notify").isEmpty();
        assertThat(lee.take()).as("a native member is not told of others' invitations").isEmpty();

        op.send("MODE #a +i");
        server.settle();
        op.send("INVITE erin #a");
        assertThat(erin.take()).containsExactly(from("op", "INVITE erin #a"));
        assertThat(bob.take()).as("not an operator of the +i channel").isEmpty();
        assertThat(op.take()).containsExactly(server("341 op erin :#a"));
    }

    // ---- setname ----

    @Test
    void setnameIsToldToTheUserAndItsRoomMatesWithTheCapability() {
        Client alice = server.irc("alice", "setname");
        Client bob = server.irc("bob", "setname");
        Client carol = server.irc("carol");
        Client dave = server.irc("dave", "setname");
        join("#a", alice, bob, carol);

        alice.send("SETNAME :Alice Liddell");
        assertThat(alice.take()).containsExactly(from("alice", "SETNAME :Alice Liddell"));
        assertThat(bob.take()).containsExactly(from("alice", "SETNAME :Alice Liddell"));
        assertThat(carol.take()).isEmpty();
        assertThat(dave.take()).as("shares no room").isEmpty();

        dave.send("WHOIS alice");
        assertThat(dave.take()).contains(server("311 dave alice ~alice 127.0.0.1 * :Alice Liddell"));
    }

    // ---- bot mode ----

    @Test
    void botModeIsAdvertisedSetAndShownInWhoisWhoAndTags() {
        Client robo = server.irc("robo", "message-tags");
        Client alice = server.irc("alice", "message-tags");
        Client carol = server.irc("carol");
        join("#a", robo, alice, carol);

        alice.send("VERSION");
        assertThat(alice.take()).anyMatch(l -> l.contains(" 005 ") && l.contains(" BOT=B "));

        robo.send("MODE robo +B");
        assertThat(robo.take()).containsExactly(from("robo", "MODE robo :+B"));

        alice.send("WHOIS robo");
        assertThat(alice.take()).contains(server("335 alice robo :is a bot on TestNet"));
        alice.send("WHO robo");
        assertThat(alice.take()).first().isEqualTo(server("352 alice #a ~robo 127.0.0.1 irc.test robo H@B :0 robo Real"));

        robo.send("PRIVMSG #a :beep");
        assertThat(tags(alice.take().get(0))).containsKey("bot");
        assertThat(carol.take()).containsExactly(from("robo", "PRIVMSG #a :beep"));

        robo.send("MODE robo -B");
        robo.take();
        robo.send("PRIVMSG #a :human now");
        assertThat(tags(alice.take().get(0))).doesNotContainKey("bot");
    }

    // ---- MONITOR ----

    @Test
    void monitorTellsAtOnceAndOnConnectAndQuit() {
        Client alice = server.irc("alice");
        server.irc("bob");

        alice.send("MONITOR + bob,carol");
        assertThat(alice.take()).containsExactly(
                server("730 alice :" + ircPrefix("bob")),
                server("731 alice :carol"));

        Client carol = server.acceptIrc().send("NICK carol", "USER carol 0 * :carol Real");
        assertThat(alice.take()).containsExactly(server("730 alice :" + ircPrefix("carol")));

        carol.send("QUIT :bye");
        assertThat(alice.take()).containsExactly(server("731 alice :carol"));
    }

    @Test
    void monitorFollowsNickChangesButNotCaseOnlyOnes() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        alice.send("MONITOR + bob,robert");
        alice.take();

        bob.send("NICK Bob");
        assertThat(alice.take()).as("the same nick, differently spelled").isEmpty();

        bob.send("NICK robert");
        assertThat(alice.take()).containsExactly(
                server("731 alice :Bob"),
                server("730 alice :" + ircPrefix("robert").replace("~robert", "~bob")));
    }

    @Test
    void monitorMinusClearListAndStatus() {
        Client alice = server.irc("alice");
        server.irc("bob");
        alice.send("MONITOR + bob,carol,dave");
        alice.take();

        alice.send("MONITOR - dave");
        assertThat(alice.take()).isEmpty();
        alice.send("MONITOR L");
        assertThat(alice.take()).containsExactly(
                server("732 alice :bob,carol"),
                server("733 alice :End of MONITOR list"));
        alice.send("MONITOR S");
        assertThat(alice.take()).containsExactly(
                server("730 alice :" + ircPrefix("bob")),
                server("731 alice :carol"));

        alice.send("MONITOR C");
        assertThat(alice.take()).isEmpty();
        alice.send("MONITOR L");
        assertThat(alice.take()).containsExactly(server("733 alice :End of MONITOR list"));
        Client carol = server.irc("carol");
        carol.send("QUIT");
        assertThat(alice.take()).isEmpty();
    }

    @Test
    void masksAreNotMonitored() {
        Client alice = server.irc("alice");
        server.irc("bob");
        alice.send("MONITOR + b*,bob!*@*,*@127.0.0.1");
        assertThat(alice.take()).isEmpty();
        alice.send("MONITOR L");
        assertThat(alice.take()).containsExactly(server("733 alice :End of MONITOR list"));
    }

    @Test
    void aFullMonitorListIs734WithTheNicksNotAdded() {
        Client alice = server.irc("alice");
        for (int from = 0; from < ChatCore.MAX_MONITORED; from += 25) {
            List<String> nicks = new ArrayList<>();
            for (int i = from; i < from + 25; i++) {
                nicks.add("n" + i);
            }
            alice.send("MONITOR + " + String.join(",", nicks));
        }
        alice.take();

        alice.send("MONITOR + n0,extra1,extra2");
        assertThat(alice.take()).containsExactly(
                server("731 alice :n0"),
                server("734 alice " + ChatCore.MAX_MONITORED + " extra1,extra2 :Monitor list is full."));
        assertThat(server.core.monitored(server.core.user("alice"))).hasSize(ChatCore.MAX_MONITORED)
                .doesNotContain("extra1");
    }

    @Test
    void aQuittingWatcherIsForgotten() {
        Client alice = server.irc("alice");
        alice.send("MONITOR + bob");
        alice.send("QUIT");
        Client bob = server.irc("bob");
        assertThat(bob.isClosed()).isFalse(); // telling a watcher that left must not fail
    }

    // ---- WHOX ----

    @Test
    void whoxGivesTheFieldsAskedForInTheirFixedOrderWithTheToken() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        join("#a", alice, bob);

        bob.send("WHO alice %tcuihsnfdlaor,42");
        assertThat(bob.take()).containsExactly(
                server("354 bob 42 #a ~alice 127.0.0.1 127.0.0.1 irc.test alice H@ 0 0 0 n/a :alice Real"),
                server("315 bob alice :End of WHO list"));

        bob.send("WHO #a %nfu,7");
        assertThat(bob.take()).containsExactly(
                server("354 bob ~alice alice H@"),
                server("354 bob ~bob bob H"),
                server("315 bob #a :End of WHO list"));

        bob.send("WHO #a %rtn,123");
        assertThat(bob.take()).containsExactly(
                server("354 bob 123 alice :alice Real"),
                server("354 bob 123 bob :bob Real"),
                server("315 bob #a :End of WHO list"));
    }

    // ---- WHO masks and invisibility ----

    @Test
    void whoMasksMatchNicksAndSkipInvisibleUsersSharingNoChannel() {
        Client alice = server.irc("alice");
        server.irc("alfred");
        Client bob = server.irc("bob");
        alice.send("MODE alice +i");
        assertThat(alice.take()).containsExactly(from("alice", "MODE alice :+i"));

        bob.send("WHO al*");
        assertThat(bob.take()).containsExactly(
                server("352 bob * ~alfred 127.0.0.1 irc.test alfred H :0 alfred Real"),
                server("315 bob al* :End of WHO list"));

        bob.send("WHO alice");
        assertThat(bob.take()).as("an exact nick is always found").hasSize(2)
                .first().asString().contains(" alice H ");

        alice.send("WHO al*");
        assertThat(alice.take()).as("itself").hasSize(3);

        join("#a", alice, bob);
        bob.send("WHO al*");
        assertThat(bob.take()).as("now they share #a").hasSize(3);
    }

    @Test
    void whoOfAChannelHidesInvisibleMembersFromOutsiders() {
        Client alice = server.irc("alice");
        Client carol = server.irc("carol");
        Client bob = server.irc("bob");
        join("#a", alice, carol);
        alice.send("MODE alice +i");
        server.settle();

        bob.send("WHO #a");
        assertThat(bob.take()).containsExactly(
                server("352 bob #a ~carol 127.0.0.1 irc.test carol H :0 carol Real"),
                server("315 bob #a :End of WHO list"));

        carol.send("WHO #a");
        assertThat(carol.take()).as("members see every member").hasSize(3);
    }

    @Test
    void whoOfASecretChannelTellsOutsidersNothing() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        join("#s", alice);
        alice.send("MODE #s +s");
        server.settle();

        bob.send("WHO #s");
        assertThat(bob.take()).containsExactly(server("315 bob #s :End of WHO list"));
    }

    @Test
    void whoOfANickNamesNoSecretChannelTheAskerIsNotIn() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        join("#s", alice);
        join("#open", alice, bob);
        alice.send("MODE #s +s");
        server.settle();

        bob.send("WHO alice");
        assertThat(bob.take()).first().isEqualTo(server("352 bob #open ~alice 127.0.0.1 irc.test alice H@ :0 alice Real"));
        alice.send("PART #open");
        server.settle();
        bob.send("WHO alice");
        assertThat(bob.take()).first().isEqualTo(server("352 bob * ~alice 127.0.0.1 irc.test alice H :0 alice Real"));
    }

    // ---- WHOWAS ----

    @Test
    void whowasListsWhoHadANickNewestFirst() {
        Client first = server.irc("bob");
        first.send("QUIT");
        Client second = server.acceptIrc().send("NICK bob", "USER other 0 * :Second Bob");
        second.send("NICK robert");
        Client alice = server.irc("alice");
        server.settle();

        alice.send("WHOWAS bob");
        List<String> lines = alice.take();
        assertThat(lines).filteredOn(l -> IrcHarness.commandOf(l).equals("314")).containsExactly(
                server("314 alice bob ~other 127.0.0.1 * :Second Bob"),
                server("314 alice bob ~bob 127.0.0.1 * :bob Real"));
        assertThat(lines).filteredOn(l -> IrcHarness.commandOf(l).equals("312")).hasSize(2)
                .allMatch(l -> l.startsWith(server("312 alice bob irc.test :")));
        assertThat(lines.get(lines.size() - 1)).isEqualTo(server("369 alice bob :End of WHOWAS"));

        alice.send("WHOWAS bob 1");
        assertThat(alice.take()).filteredOn(l -> IrcHarness.commandOf(l).equals("314"))
                .containsExactly(server("314 alice bob ~other 127.0.0.1 * :Second Bob"));
    }

    @Test
    void aChangeOfCaseGivesUpNoNick() {
        Client bob = server.irc("bob");
        bob.send("NICK Bob");
        Client alice = server.irc("alice");
        alice.send("WHOWAS bob");
        assertThat(alice.take()).containsExactly(
                server("406 alice bob :There was no such nickname"),
                server("369 alice bob :End of WHOWAS"));
    }

    @Test
    void whowasTakesAMaskAnUnknownNickIs406AndNoNickIs431() {
        server.irc("bob").send("QUIT");
        server.irc("bert").send("QUIT");
        Client alice = server.irc("alice");

        alice.send("WHOWAS b*");
        assertThat(alice.take()).filteredOn(l -> IrcHarness.commandOf(l).equals("314")).hasSize(2);

        alice.send("WHOWAS nobody");
        assertThat(alice.take()).containsExactly(
                server("406 alice nobody :There was no such nickname"),
                server("369 alice nobody :End of WHOWAS"));

        alice.send("WHOWAS");
        assertThat(alice.take()).containsExactly(server("431 alice :No nickname given"));
    }

    // ---- HELP ----

    @Test
    void helpListsTheCommandsAndExplainsOne() {
        Client alice = server.irc("alice");
        alice.send("HELP");
        List<String> lines = alice.take();
        assertThat(lines.get(0)).startsWith(server("704 alice * :"));
        assertThat(lines).anyMatch(l -> l.startsWith(server("705 alice * :")) && l.contains("PRIVMSG")
                && l.contains("MONITOR"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo(server("706 alice * :End of /HELP"));

        alice.send("HELP privmsg");
        lines = alice.take();
        assertThat(lines.get(0)).startsWith(server("704 alice PRIVMSG :"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo(server("706 alice PRIVMSG :End of /HELP"));

        alice.send("HELP nonsense");
        assertThat(alice.take()).containsExactly(server("524 alice NONSENSE :No help available on this topic"));
    }
}
