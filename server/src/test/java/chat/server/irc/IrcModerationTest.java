package chat.server.irc;

import static chat.server.irc.IrcHarness.ircPrefix;
import static chat.server.irc.IrcHarness.nativePrefix;
import static chat.server.irc.IrcHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.irc.IrcHarness.Client;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Channel moderation over IRC, as Modern IRC words it: MODE changes and list queries, join
 * refusals, TOPIC, KICK, INVITE, and the {@code @} and {@code +} prefixes. {@code op} creates
 * {@code #a}, so it is its operator; bob joins it; dave is registered and in no channel.
 */
class IrcModerationTest {

    private final IrcHarness server = new IrcHarness();
    private final Client op = server.irc("op");
    private final Client bob = server.irc("bob");
    private final Client dave = server.irc("dave");

    IrcModerationTest() {
        op.send("JOIN #a");
        bob.send("JOIN #a");
        server.settle();
    }

    private static String from(String nick, String rest) {
        return ":" + ircPrefix(nick) + " " + rest;
    }

    /** Both members of #a receive exactly {@code line}. */
    private void bothSee(String line) {
        assertThat(op.take()).containsExactly(line);
        assertThat(bob.take()).containsExactly(line);
    }

    // ---- MODE changes ----

    @Test
    void privilegeChangesAreSeenByEveryMember() {
        op.send("MODE #a +o bob");
        bothSee(from("op", "MODE #a +o bob"));
        op.send("MODE #a -o BOB");
        bothSee(from("op", "MODE #a -o bob"));
        op.send("MODE #a +v bob");
        bothSee(from("op", "MODE #a +v bob"));
        assertThat(dave.take()).isEmpty();
    }

    @Test
    void listKeyLimitAndFlagChangesAreSeenByEveryMember() {
        op.send("MODE #a +b dave");
        bothSee(from("op", "MODE #a +b dave!*@*"));
        op.send("MODE #a +k sesame");
        bothSee(from("op", "MODE #a +k sesame"));
        op.send("MODE #a +l 10");
        bothSee(from("op", "MODE #a +l 10"));
        op.send("MODE #a +i");
        bothSee(from("op", "MODE #a +i"));
        op.send("MODE #a +m");
        bothSee(from("op", "MODE #a +m"));
        op.send("MODE #a -t");
        bothSee(from("op", "MODE #a -t"));
        op.send("MODE #a -lk *");
        bothSee(from("op", "MODE #a -lk *"));
    }

    @Test
    void severalChangesInOneModeAreOneLine() {
        op.send("MODE #a +k sesame");
        server.settle();
        op.send("MODE #a +ov-k bob bob *");
        bothSee(from("op", "MODE #a +ov-k bob bob *"));

        bob.send("NAMES #a");
        assertThat(bob.take()).containsExactly(server("353 bob = #a :@op @bob"), server("366 bob #a :End of /NAMES list"));
    }

    @Test
    void theModeQueryShowsWhatWasSetAndTheCreationTime() {
        op.send("MODE #a +ikl sesame 5");
        server.settle();
        op.send("MODE #a");
        List<String> lines = op.take();
        assertThat(lines.get(0)).isEqualTo(server("324 op #a +intkl sesame 5"));
        assertThat(lines.get(1)).matches(java.util.regex.Pattern.quote(server("329 op #a ")) + "\\d+");
    }

    @Test
    void aNonMemberIsNotShownTheKey() {
        op.send("MODE #a +kl sesame 5");
        server.settle();
        dave.send("MODE #a");
        assertThat(dave.take().get(0)).isEqualTo(server("324 dave #a +ntl 5"));
    }

    @Test
    void listQueriesAnswerEachList() {
        op.send("MODE #a +beI dave *@10.* carol!*@*");
        server.settle();

        bob.send("MODE #a +b", "MODE #a e", "MODE #a I");
        assertThat(bob.take()).containsExactly(
                server("367 bob #a dave!*@*"),
                server("368 bob #a :End of channel ban list"),
                server("348 bob #a *!*@10.*"),
                server("349 bob #a :End of channel exception list"),
                server("346 bob #a carol!*@*"),
                server("347 bob #a :End of channel invite exception list"));
        bob.send("MODE #a b");
        assertThat(bob.take()).hasSize(2);
    }

    @Test
    void aNonOperatorGets482AndNothingChanges() {
        bob.send("MODE #a +m");
        assertThat(bob.take()).containsExactly(server("482 bob #a :You're not channel operator"));
        assertThat(op.take()).isEmpty();
        assertThat(server.core.room("#a").hasFlag('m')).isFalse();
    }

    @Test
    void anUnknownLetterIs472AndTheOthersStillApply() {
        op.send("MODE #a +xm");
        assertThat(op.take()).containsExactly(
                from("op", "MODE #a +m"),
                server("472 op x :is unknown mode char to me"));
        assertThat(bob.take()).containsExactly(from("op", "MODE #a +m"));
    }

    @Test
    void aPrivilegeForSomeoneNotInTheChannelIs441() {
        op.send("MODE #a +o dave");
        assertThat(op.take()).containsExactly(server("441 op dave #a :They aren't on that channel"));
        op.send("MODE #a +v nobody");
        assertThat(op.take()).containsExactly(server("401 op nobody :No such nick/channel"));
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void aKeyThatCouldNotBeTypedInJoinIsRefusedWith696() {
        op.send("MODE #a +k :two words", "MODE #a +k a,b", "MODE #a +k :", "MODE #a +k ::x");
        assertThat(op.take()).containsExactly(
                server("696 op #a k * :Invalid mode parameter"),
                server("696 op #a k * :Invalid mode parameter"),
                server("696 op #a k * :Invalid mode parameter"),
                server("696 op #a k * :Invalid mode parameter"));
        assertThat(bob.take()).isEmpty();
        assertThat(server.core.room("#a").key()).isNull();
    }

    @Test
    void aMaskWithASpaceIsRefusedWith696() {
        op.send("MODE #a +b :da ve");
        assertThat(op.take()).containsExactly(server("696 op #a b * :Invalid mode parameter"));
        assertThat(server.core.room("#a").list('b')).isEmpty();
    }

    // ---- JOIN refusals ----

    @Test
    void joinRefusalsAreTheirNumerics() {
        op.send("MODE #a +l 2");
        dave.send("JOIN #a");
        assertThat(dave.take()).containsExactly(server("471 dave #a :Cannot join channel (+l)"));

        op.send("MODE #a -l+i");
        dave.send("JOIN #a");
        assertThat(dave.take()).containsExactly(server("473 dave #a :Cannot join channel (+i)"));

        op.send("MODE #a -i+b dave");
        dave.send("JOIN #a");
        assertThat(dave.take()).containsExactly(server("474 dave #a :Cannot join channel (+b)"));

        op.send("MODE #a -b+k dave sesame");
        dave.send("JOIN #a", "JOIN #a wrong");
        assertThat(dave.take()).containsExactly(
                server("475 dave #a :Cannot join channel (+k)"),
                server("475 dave #a :Cannot join channel (+k)"));
        assertThat(server.core.room("#a").members()).hasSize(2);
    }

    @Test
    void aKeyIsAcceptedInItsPlaceInTheList() {
        op.send("MODE #a +k sesame");
        dave.send("JOIN #b,#a x,sesame");
        assertThat(dave.take("JOIN")).containsExactly(from("dave", "JOIN #b"), from("dave", "JOIN #a"));
    }

    // ---- TOPIC ----

    @Test
    void anOperatorSetsTheTopicAndEveryoneSeesIt() {
        op.send("TOPIC #a :release friday");
        bothSee(from("op", "TOPIC #a :release friday"));

        bob.send("TOPIC #a");
        List<String> lines = bob.take();
        assertThat(lines.get(0)).isEqualTo(server("332 bob #a :release friday"));
        assertThat(lines.get(1)).matches(java.util.regex.Pattern.quote(server("333 bob #a op ")) + "\\d+");
    }

    @Test
    void aJoinShowsTheTopicBeforeTheNames() {
        op.send("TOPIC #a :release friday");
        server.settle();
        dave.send("JOIN #a");
        List<String> lines = dave.take();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo(from("dave", "JOIN #a"));
        assertThat(lines.get(1)).isEqualTo(server("332 dave #a :release friday"));
        assertThat(lines.get(2)).startsWith(server("333 dave #a op "));
        assertThat(lines.get(3)).isEqualTo(server("353 dave = #a :@op bob dave"));
    }

    @Test
    void noTopicIs331AndAJoinShowsNone() {
        bob.send("TOPIC #a");
        assertThat(bob.take()).containsExactly(server("331 bob #a :No topic is set"));
        dave.send("JOIN #a");
        assertThat(dave.take()).noneMatch(l -> l.contains(" 331 ") || l.contains(" 332 "));
    }

    @Test
    void topicIsRefusedToNonOperatorsAndNonMembers() {
        bob.send("TOPIC #a :mine");
        assertThat(bob.take()).containsExactly(server("482 bob #a :You're not channel operator"));
        dave.send("TOPIC #a :mine", "TOPIC #nowhere :x");
        assertThat(dave.take()).containsExactly(
                server("442 dave #a :You're not on that channel"),
                server("403 dave #nowhere :No such channel"));
        op.send("MODE #a -t");
        server.settle();
        bob.send("TOPIC #a :bob's");
        bothSee(from("bob", "TOPIC #a :bob's"));
        bob.send("TOPIC #a :");
        bothSee(from("bob", "TOPIC #a :"));
    }

    // ---- KICK ----

    @Test
    void aKickWithoutReasonGivesTheKickersNick() {
        op.send("KICK #a bob");
        bothSee(from("op", "KICK #a bob :op"));
        assertThat(server.core.room("#a").members()).hasSize(1);
    }

    @Test
    void aKickWithAReasonAndOfSeveralNicks() {
        dave.send("JOIN #a");
        server.settle();

        op.send("KICK #a bob,DAVE :enough");

        List<String> kicks = List.of(from("op", "KICK #a bob :enough"), from("op", "KICK #a dave :enough"));
        assertThat(op.take()).containsExactlyElementsOf(kicks);
        assertThat(dave.take()).containsExactlyElementsOf(kicks);
        assertThat(bob.take()).containsExactly(kicks.get(0));
    }

    @Test
    void kickErrors() {
        bob.send("KICK #a op");
        assertThat(bob.take()).containsExactly(server("482 bob #a :You're not channel operator"));
        op.send("KICK #a dave", "KICK #a nobody", "KICK #b bob");
        assertThat(op.take()).containsExactly(
                server("441 op dave #a :They aren't on that channel"),
                server("401 op nobody :No such nick/channel"),
                server("403 op #b :No such channel"));
        dave.send("KICK #a bob");
        assertThat(dave.take()).containsExactly(server("442 dave #a :You're not on that channel"));
        op.send("KICK #a");
        assertThat(op.take()).containsExactly(server("461 op KICK :Not enough parameters"));
    }

    // ---- INVITE ----

    @Test
    void anInvitationIs341ForTheInviterAndInviteForTheTarget() {
        op.send("MODE #a +i");
        server.settle();

        op.send("INVITE dave #a");
        assertThat(op.take()).containsExactly(server("341 op dave :#a"));
        assertThat(dave.take()).containsExactly(from("op", "INVITE dave #a"));
        assertThat(bob.take()).isEmpty();

        dave.send("JOIN #a");
        assertThat(dave.take().get(0)).isEqualTo(from("dave", "JOIN #a"));
    }

    @Test
    void inviteErrors() {
        op.send("INVITE bob #a");
        assertThat(op.take()).containsExactly(server("443 op bob #a :is already on channel"));
        op.send("MODE #a +i");
        server.settle();
        bob.send("INVITE dave #a");
        assertThat(bob.take()).containsExactly(server("482 bob #a :You're not channel operator"));
        dave.send("INVITE bob #a");
        assertThat(dave.take()).containsExactly(server("442 dave #a :You're not on that channel"));
        op.send("INVITE nobody #a", "INVITE dave #nowhere");
        assertThat(op.take()).containsExactly(
                server("401 op nobody :No such nick/channel"),
                server("403 op #nowhere :No such channel"));
    }

    // ---- prefixes ----

    @Test
    void namesWhoAndWhoisShowTheHighestPrefixWithoutMultiPrefix() {
        op.send("MODE #a +vv op bob");
        server.settle();

        dave.send("NAMES #a");
        assertThat(dave.take()).containsExactly(server("353 dave = #a :@op +bob"), server("366 dave #a :End of /NAMES list"));
        dave.send("WHO #a");
        assertThat(dave.take()).containsExactly(
                server("352 dave #a ~op 127.0.0.1 irc.test op H@ :0 op Real"),
                server("352 dave #a ~bob 127.0.0.1 irc.test bob H+ :0 bob Real"),
                server("315 dave #a :End of WHO list"));
        dave.send("WHOIS op");
        assertThat(dave.take()).contains(server("319 dave op :@#a"));
    }

    @Test
    void multiPrefixShowsEveryPrefix() {
        Client carol = server.irc("carol", "multi-prefix");
        op.send("MODE #a +v op");
        carol.send("JOIN #a");
        assertThat(carol.take("353")).containsExactly(server("353 carol = #a :@+op bob carol"));
        carol.send("WHO #a");
        assertThat(carol.take("352").get(0)).isEqualTo(server("352 carol #a ~op 127.0.0.1 irc.test op H@+ :0 op Real"));
        carol.send("WHOIS op");
        assertThat(carol.take("319")).containsExactly(server("319 carol op :@+#a"));
    }

    // ---- across the dialects ----

    @Test
    void aNativeOperatorModeratesIrcUsers() {
        Client alice = server.nativeUser("alice"); // first in #lobby: its operator
        bob.send("JOIN #lobby");
        server.settle();

        alice.send("/op bob");
        assertThat(bob.take()).containsExactly(":" + nativePrefix("alice") + " MODE #lobby +o bob");
        alice.send("/topic welcome");
        assertThat(bob.take()).containsExactly(":" + nativePrefix("alice") + " TOPIC #lobby :welcome");
        alice.send("/ban dave");
        assertThat(bob.take()).containsExactly(":" + nativePrefix("alice") + " MODE #lobby +b dave!*@*");
        alice.send("/kick bob");
        assertThat(bob.take()).containsExactly(":" + nativePrefix("alice") + " KICK #lobby bob :alice");
        alice.send("/invite dave");
        assertThat(dave.take()).containsExactly(":" + nativePrefix("alice") + " INVITE dave #lobby");
        dave.send("JOIN #lobby");
        assertThat(dave.take()).containsExactly(server("474 dave #lobby :Cannot join channel (+b)"));
    }

    @Test
    void anIrcOperatorModeratesNativeUsers() {
        Client alice = server.nativeUser("alice");
        alice.send("/join a");
        server.settle();

        op.send("MODE #a +v alice");
        assertThat(alice.take()).containsExactly("[#a] -- op set mode +v alice");
        op.send("TOPIC #a :hi all");
        assertThat(alice.take()).containsExactly("[#a] -- op set the topic: hi all");
        op.send("KICK #a alice :bye");
        assertThat(alice.take()).containsExactly("[#a] -- alice was kicked by op: bye", "-- now talking in #lobby");
        op.send("INVITE alice #a");
        assertThat(alice.take()).containsExactly("-- op invites you to #a; /join #a");

        bob.send("NAMES #a");
        assertThat(bob.take("353")).containsExactly(server("353 bob = #a :@op bob"));
    }
}
