package chat.server.irc;

import static chat.server.irc.IrcHarness.ircPrefix;
import static chat.server.irc.IrcHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.irc.IrcHarness.Client;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The commands of a registered IRC client, each answered as Modern IRC says. */
class IrcCommandsTest {

    private final IrcHarness server = new IrcHarness();

    private static String from(String nick, String rest) {
        return ":" + ircPrefix(nick) + " " + rest;
    }

    // ---- JOIN ----

    @Test
    void joinIsEchoedThenNamesFollow() {
        Client alice = server.irc("alice");
        alice.send("JOIN #a");
        assertThat(alice.take()).containsExactly(
                from("alice", "JOIN #a"),
                server("353 alice = #a :@alice"),
                server("366 alice #a :End of /NAMES list"));

        Client bob = server.irc("bob");
        bob.send("JOIN #A");
        assertThat(alice.take()).containsExactly(from("bob", "JOIN #a"));
        assertThat(bob.take()).containsExactly(
                from("bob", "JOIN #a"),
                server("353 bob = #a :@alice bob"),
                server("366 bob #a :End of /NAMES list"));
    }

    @Test
    void namesOfSeveralChannelsEndsOnceWithTheListAsAsked() {
        Client alice = server.irc("alice");
        alice.send("JOIN #chan1", "JOIN #chan2");
        alice.take();
        alice.send("NAMES #chan1,#chan2,#none");
        assertThat(alice.take()).containsExactly(
                server("353 alice = #chan1 :@alice"),
                server("353 alice = #chan2 :@alice"),
                server("366 alice #chan1,#chan2,#none :End of /NAMES list"));
        alice.send("NAMES #chan1");
        assertThat(alice.take()).containsExactly(server("353 alice = #chan1 :@alice"),
                server("366 alice #chan1 :End of /NAMES list"));
    }

    @Test
    void joinOfAListJoinsEach() {
        Client alice = server.irc("alice");
        alice.send("JOIN #a,#b");
        assertThat(alice.take("JOIN")).containsExactly(from("alice", "JOIN #a"), from("alice", "JOIN #b"));
        assertThat(server.core.roomsOf(server.core.user("alice"))).containsExactly("#a", "#b");
    }

    @Test
    void anInvalidChannelNameIs403AndTheRestOfTheListIsJoined() {
        Client alice = server.irc("alice");
        alice.send("JOIN #no!pe,lobby,#ok");
        List<String> lines = alice.take();
        assertThat(lines.subList(0, 2)).containsExactly(
                server("403 alice #no!pe :No such channel"),
                server("403 alice lobby :No such channel"));
        assertThat(lines.get(2)).isEqualTo(from("alice", "JOIN #ok"));
        assertThat(server.core.roomsOf(server.core.user("alice"))).containsExactly("#ok");
    }

    @Test
    void joinZeroPartsEveryChannel() {
        Client alice = server.irc("alice");
        alice.send("JOIN #a,#b");
        alice.take();

        alice.send("JOIN 0");
        assertThat(alice.take()).containsExactly(from("alice", "PART #a"), from("alice", "PART #b"));
        assertThat(server.core.roomsOf(server.core.user("alice"))).isEmpty();
    }

    @Test
    void joiningTwiceSendsNothingNew() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        alice.send("JOIN #a");
        bob.send("JOIN #a");
        server.settle();

        alice.send("JOIN #a");
        assertThat(alice.take()).isEmpty();
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void userhostInNamesGivesFullPrefixes() {
        Client bob = server.irc("bob");
        bob.send("JOIN #a");
        Client alice = server.irc("alice", "userhost-in-names");
        alice.send("JOIN #a");
        assertThat(alice.take()).contains(server("353 alice = #a :@" + ircPrefix("bob") + " " + ircPrefix("alice")));
    }

    // ---- PART ----

    @Test
    void partWithAReasonIsToldToTheChannelAndThePartingUser() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        alice.send("JOIN #a");
        bob.send("JOIN #a");
        server.settle();

        alice.send("PART #a :see you");
        assertThat(alice.take()).containsExactly(from("alice", "PART #a :see you"));
        assertThat(bob.take()).containsExactly(from("alice", "PART #a :see you"));
    }

    @Test
    void partOfAChannelNotJoinedIs442AndOfNoChannel403() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        bob.send("JOIN #b");
        alice.send("PART #b", "PART #nowhere");
        assertThat(alice.take()).containsExactly(
                server("442 alice #b :You're not on that channel"),
                server("403 alice #nowhere :No such channel"));
    }

    // ---- PRIVMSG and NOTICE ----

    @Test
    void privmsgToAChannelReachesTheOthersNotTheSender() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        alice.send("JOIN #a");
        bob.send("JOIN #a");
        server.settle();

        alice.send("PRIVMSG #A :hello all");
        assertThat(bob.take()).containsExactly(from("alice", "PRIVMSG #a :hello all"));
        assertThat(alice.take()).isEmpty();
    }

    @Test
    void privmsgAndNoticeToANick() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        alice.send("PRIVMSG BOB hi", "NOTICE bob :a notice");
        assertThat(bob.take()).containsExactly(
                from("alice", "PRIVMSG bob :hi"),
                from("alice", "NOTICE bob :a notice"));
    }

    @Test
    void fourTargetsAreServedAndAFifthIsIgnored() {
        Client alice = server.irc("alice");
        List<Client> others = List.of(server.irc("b1"), server.irc("b2"), server.irc("b3"), server.irc("b4"),
                server.irc("b5"));
        alice.send("PRIVMSG b1,b2,b3,b4,b5 :to many");
        for (int i = 0; i < 4; i++) {
            assertThat(others.get(i).take()).containsExactly(from("alice", "PRIVMSG b" + (i + 1) + " :to many"));
        }
        assertThat(others.get(4).take()).isEmpty();
        assertThat(alice.take()).isEmpty();
    }

    @Test
    void noRecipientIs411AndNoText412() {
        Client alice = server.irc("alice");
        alice.send("PRIVMSG", "PRIVMSG bob", "PRIVMSG bob :");
        assertThat(alice.take()).containsExactly(
                server("411 alice :No recipient given (PRIVMSG)"),
                server("412 alice :No text to send"),
                server("412 alice :No text to send"));
    }

    @Test
    void noSuchNickIs401NoSuchChannel403NotAMember404() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        bob.send("JOIN #b");
        server.settle();

        alice.send("PRIVMSG nobody :x", "PRIVMSG #nowhere :x", "PRIVMSG #b :x");
        assertThat(alice.take()).containsExactly(
                server("401 alice nobody :No such nick/channel"),
                server("403 alice #nowhere :No such channel"),
                server("404 alice #b :Cannot send to channel"));
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void noticeIsNeverAnsweredWithAnError() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        bob.send("JOIN #b");
        alice.send("NOTICE", "NOTICE bob", "NOTICE nobody :x", "NOTICE #nowhere :x", "NOTICE #b :x");
        assertThat(alice.take()).isEmpty();
    }

    @Test
    void anEmptyOrColonTargetInAListIsAnsweredNotFatal() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        alice.send("PRIVMSG bob,,:x :hi");
        assertThat(bob.take()).containsExactly(from("alice", "PRIVMSG bob :hi"));
        List<String> errors = alice.take();
        assertThat(errors).as("the bad target shown as *, as ergo does").containsExactly(
                server("401 alice * :No such nick/channel"), server("401 alice * :No such nick/channel"));
        assertThat(alice.isClosed()).isFalse();

        alice.send("WHOIS :", "TOPIC :", "JOIN ,:x", "MODE :");
        assertThat(alice.take().stream().map(IrcHarness::commandOf).toList())
                .containsExactly("401", "318", "403", "403", "401");
        assertThat(alice.isClosed()).isFalse();
    }

    @Test
    void echoMessageEchoesToTheSenderAsOthersSeeIt() {
        Client alice = server.irc("alice", "echo-message");
        Client bob = server.irc("bob");
        alice.send("JOIN #a");
        bob.send("JOIN #a");
        server.settle();

        alice.send("PRIVMSG #a :hi", "NOTICE bob :psst", "PRIVMSG #a :\u0001ACTION waves\u0001");
        assertThat(alice.take()).containsExactly(
                from("alice", "PRIVMSG #a :hi"),
                from("alice", "NOTICE bob :psst"),
                from("alice", "PRIVMSG #a :\u0001ACTION waves\u0001"));
        assertThat(bob.take()).containsExactly(
                from("alice", "PRIVMSG #a :hi"),
                from("alice", "NOTICE bob :psst"),
                from("alice", "PRIVMSG #a :\u0001ACTION waves\u0001"));
    }

    @Test
    void withoutEchoMessageTheSenderGetsNothingBack() {
        Client alice = server.irc("alice");
        server.irc("bob");
        alice.send("PRIVMSG bob :hi");
        assertThat(alice.take()).isEmpty();
    }

    @Test
    void messagingAnAwayUserAnswersWithItsAwayMessageButANoticeDoesNot() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        bob.send("AWAY :at lunch");
        server.settle();

        alice.send("PRIVMSG bob :are you there", "NOTICE bob :fyi");
        assertThat(alice.take()).containsExactly(server("301 alice bob :at lunch"));
        assertThat(bob.take()).hasSize(2);
    }

    // ---- AWAY ----

    @Test
    void awayAndBackAre306And305() {
        Client alice = server.irc("alice");
        alice.send("AWAY :gone", "AWAY");
        assertThat(alice.take()).containsExactly(
                server("306 alice :You have been marked as being away"),
                server("305 alice :You are no longer marked as being away"));
    }

    // ---- NAMES, WHO, WHOIS, LIST, ISON, USERHOST ----

    @Test
    void namesOfAChannelAndOfNone() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        bob.send("JOIN #b");
        alice.send("NAMES #b", "NAMES #nowhere", "NAMES");
        assertThat(alice.take()).containsExactly(
                server("353 alice = #b :@bob"),
                server("366 alice #b :End of /NAMES list"),
                server("366 alice #nowhere :End of /NAMES list"),
                server("366 alice * :End of /NAMES list"));
    }

    @Test
    void namesOfManyMembersComesInSeveral353Lines() {
        Client alice = server.irc("alice");
        for (int i = 0; i < 12; i++) {
            server.irc("member" + i).send("JOIN #big");
        }
        alice.send("NAMES #big");
        List<String> lines = alice.take();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith(server("353 alice = #big :@member0 member1 "));
        assertThat(lines.get(1)).isEqualTo(server("353 alice = #big :member10 member11"));
        assertThat(lines.get(2)).isEqualTo(server("366 alice #big :End of /NAMES list"));
    }

    @Test
    void whoOfAChannelAndOfANickWithHereAndGone() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        alice.send("JOIN #a");
        bob.send("JOIN #a", "AWAY :out");
        server.settle();

        alice.send("WHO #a");
        assertThat(alice.take()).containsExactly(
                server("352 alice #a ~alice 127.0.0.1 irc.test alice H@ :0 alice Real"),
                server("352 alice #a ~bob 127.0.0.1 irc.test bob G :0 bob Real"),
                server("315 alice #a :End of WHO list"));

        alice.send("WHO bob", "WHO nobody");
        assertThat(alice.take()).containsExactly(
                server("352 alice #a ~bob 127.0.0.1 irc.test bob G :0 bob Real"),
                server("315 alice bob :End of WHO list"),
                server("315 alice nobody :End of WHO list"));
    }

    @Test
    void whoisGivesUserChannelsServerAwayAndEnd() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        bob.send("JOIN #a,#b", "AWAY :busy");
        server.settle();

        alice.send("WHOIS bob");
        assertThat(alice.take()).containsExactly(
                server("311 alice bob ~bob 127.0.0.1 * :bob Real"),
                server("319 alice bob :@#a @#b"),
                server("312 alice bob irc.test :test server"),
                server("301 alice bob :busy"),
                server("318 alice bob :End of /WHOIS list"));
    }

    @Test
    void whoisOfAnUnknownNickIs401Then318() {
        Client alice = server.irc("alice");
        alice.send("WHOIS ghost");
        assertThat(alice.take()).containsExactly(
                server("401 alice ghost :No such nick/channel"),
                server("318 alice ghost :End of /WHOIS list"));
    }

    @Test
    void listGivesEachChannelWithItsCount() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        alice.send("JOIN #a,#b");
        bob.send("JOIN #b");
        alice.take();

        alice.send("LIST");
        assertThat(alice.take()).containsExactly(
                server("321 alice Channel :Users  Name"),
                server("322 alice #a 1 :"),
                server("322 alice #b 2 :"),
                server("323 alice :End of /LIST"));
    }

    @Test
    void isonNamesThoseOnlineAsTheySpellTheirNicks() {
        Client alice = server.irc("alice");
        server.irc("Bob");
        alice.send("ISON bob ghost alice", "ISON :BOB nobody");
        assertThat(alice.take()).containsExactly(server("303 alice :Bob alice"), server("303 alice :Bob"));
    }

    @Test
    void userhostMarksHereAndAway() {
        Client alice = server.irc("alice");
        server.irc("bob").send("AWAY :out");
        alice.send("USERHOST alice bob ghost");
        assertThat(alice.take()).containsExactly(server("302 alice :alice=+~alice@127.0.0.1 bob=-~bob@127.0.0.1"));
    }

    // ---- MODE ----

    @Test
    void channelModeQueryBanListAndChangesRefused() {
        Client alice = server.irc("alice");
        alice.send("JOIN #a");
        alice.take();

        alice.send("MODE #a", "MODE #a b", "MODE #a +b", "MODE #a +o bob", "MODE #nowhere");
        List<String> lines = alice.take();
        assertThat(lines.get(0)).isEqualTo(server("324 alice #a +nt"));
        assertThat(lines.get(1)).startsWith(server("329 alice #a "));
        assertThat(lines.subList(2, lines.size())).containsExactly(
                server("368 alice #a :End of channel ban list"),
                server("368 alice #a :End of channel ban list"),
                server("401 alice bob :No such nick/channel"),
                server("403 alice #nowhere :No such channel"));
    }

    @Test
    void userModesOwnOtherAndUnknown() {
        Client alice = server.irc("alice");
        server.irc("bob");
        alice.send("MODE alice", "MODE alice +i", "MODE alice +i", "MODE alice", "MODE alice -i+x",
                "MODE bob", "MODE ghost");
        String me = ":" + IrcHarness.ircPrefix("alice");
        assertThat(alice.take()).containsExactly(
                server("221 alice :+"),
                me + " MODE alice :+i",
                server("221 alice :+i"),
                me + " MODE alice :-i",
                server("501 alice :Unknown MODE flag"),
                server("502 alice :Can't change mode for other users"),
                server("401 alice ghost :No such nick/channel"));
    }

    // ---- TOPIC ----

    @Test
    void topicQuerySetAndNotOnChannel() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        alice.send("JOIN #a");
        bob.send("JOIN #b");
        server.settle();

        alice.send("TOPIC #a", "TOPIC #a :new topic", "TOPIC #b", "TOPIC #b :mine now", "TOPIC #nowhere");
        List<String> lines = alice.take();
        assertThat(lines).containsExactly(
                server("331 alice #a :No topic is set"),
                ":" + IrcHarness.ircPrefix("alice") + " TOPIC #a :new topic",
                server("331 alice #b :No topic is set"),
                server("442 alice #b :You're not on that channel"),
                server("403 alice #nowhere :No such channel"));
        assertThat(bob.take()).isEmpty();
    }

    // ---- server queries ----

    @Test
    void motdWithoutOneIs422() {
        Client alice = server.irc("alice");
        alice.send("MOTD");
        assertThat(alice.take()).containsExactly(server("422 alice :MOTD File is missing"));
    }

    @Test
    void lusersCountsUsersAndChannels() {
        Client alice = server.irc("alice");
        server.irc("bob").send("JOIN #a,#b");
        server.nativeUser("carol");
        alice.send("LUSERS");
        assertThat(alice.take()).containsExactly(
                server("251 alice :There are 3 users and 0 invisible on 1 servers"),
                server("254 alice 3 :channels formed"),
                server("255 alice :I have 3 clients and 0 servers"),
                server("265 alice 3 3 :Current local users 3, max 3"),
                server("266 alice 3 3 :Current global users 3, max 3"));
    }

    @Test
    void lusersMaxIsTheMostUsersAtOnceNotTheCurrentCount() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        bob.send("QUIT :bye");
        alice.send("LUSERS");
        assertThat(alice.take()).contains(
                server("265 alice 1 2 :Current local users 1, max 2"),
                server("266 alice 1 2 :Current global users 1, max 2"));
    }

    @Test
    void versionIs351ThenIsupport() {
        Client alice = server.irc("alice");
        alice.send("VERSION");
        List<String> lines = alice.take();
        assertThat(lines.get(0)).isEqualTo(server("351 alice " + IrcSession.VERSION + " irc.test :"));
        assertThat(lines.subList(1, lines.size())).isNotEmpty()
                .allSatisfy(line -> assertThat(line).startsWith(server("005 alice "))
                        .endsWith(" :are supported by this server"));
    }

    @Test
    void timeIs391WithTheServerName() {
        Client alice = server.irc("alice");
        alice.send("TIME");
        List<String> lines = alice.take();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith(server("391 alice irc.test :"));
    }

    @Test
    void infoIs371Then374() {
        Client alice = server.irc("alice");
        alice.send("INFO");
        assertThat(alice.take().stream().map(IrcHarness::commandOf).toList()).containsExactly("371", "374");
    }

    @Test
    void aRegisteredNickChangeIsToldToSelfAndRoomMatesOnce() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        alice.send("JOIN #a,#b");
        bob.send("JOIN #a,#b");
        server.settle();

        alice.send("NICK alicia");
        assertThat(alice.take()).containsExactly(from("alice", "NICK alicia"));
        assertThat(bob.take()).containsExactly(from("alice", "NICK alicia"));

        bob.send("NICK alicia");
        assertThat(bob.take()).containsExactly(server("433 bob alicia :Nickname is already in use"));
    }
}
