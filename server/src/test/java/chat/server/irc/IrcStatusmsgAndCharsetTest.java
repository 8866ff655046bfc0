package chat.server.irc;

import static chat.server.irc.IrcHarness.ircPrefix;
import static chat.server.irc.IrcHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.irc.IrcHarness.Client;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** STATUSMSG ({@code PRIVMSG @#chan}), LINKS, ADMIN and HELPOP, and CHARSET with detection. */
class IrcStatusmsgAndCharsetTest {

    private static final Charset GBK = Charset.forName("GBK");

    private final IrcHarness server = new IrcHarness();

    @Test
    void statusmsgToOperatorsReachesOperatorsOnlyWithThePrefixedTarget() {
        Client op = server.irc("chanop");
        op.send("JOIN #chan");
        Client joe = server.irc("joe");
        joe.send("JOIN #chan");
        Client voiced = server.irc("voiced");
        voiced.send("JOIN #chan");
        Client lurker = server.nativeUser("lurker");
        lurker.send("/join #chan");
        op.send("MODE #chan +v voiced");
        server.settle();
        op.take();
        joe.take();
        voiced.take();
        lurker.take();

        joe.send("PRIVMSG @#chan :for operators");
        assertThat(joe.take()).as("no error, no copy without echo-message").isEmpty();
        assertThat(op.take()).containsExactly(":" + ircPrefix("joe") + " PRIVMSG @#chan :for operators");
        assertThat(voiced.take()).isEmpty();
        assertThat(lurker.take()).isEmpty();

        joe.send("PRIVMSG +#chan :for voiced and operators");
        assertThat(op.take()).containsExactly(":" + ircPrefix("joe") + " PRIVMSG +#chan :for voiced and operators");
        assertThat(voiced.take()).containsExactly(":" + ircPrefix("joe") + " PRIVMSG +#chan :for voiced and operators");
        assertThat(lurker.take()).isEmpty();
    }

    @Test
    void aNativeOperatorSeesTheAudienceAndANativeUserCanAddressIt() {
        Client op = server.nativeUser("boss");
        op.send("/join #chan");
        Client joe = server.irc("joe");
        joe.send("JOIN #chan");
        Client plain = server.nativeUser("plain");
        plain.send("/join #chan");
        server.settle();
        op.take();
        joe.take();
        plain.take();

        joe.send("PRIVMSG @#chan :ops only");
        assertThat(op.take()).containsExactly("[@#chan] joe: ops only");
        assertThat(plain.take()).isEmpty();

        plain.send("/msg @#chan help please");
        assertThat(plain.take()).containsExactly("[pm -> @#chan] help please");
        assertThat(op.take()).containsExactly("[@#chan] plain: help please");
        assertThat(joe.take()).isEmpty();
    }

    @Test
    void statusmsgIsAdvertisedAndItsTargetMustBeAChannelOneMayTalkIn() {
        Client alice = server.irc("alice");
        alice.send("VERSION");
        assertThat(alice.take()).anySatisfy(line -> assertThat(line).contains(" STATUSMSG=@+ "));
        alice.send("PRIVMSG @#nowhere :hello");
        assertThat(alice.take()).containsExactly(server("403 alice #nowhere :No such channel"));
    }

    @Test
    void linksNamesThisServerAloneWithItsDescription() {
        Client alice = server.irc("alice");
        alice.send("LINKS");
        assertThat(alice.take()).containsExactly(
                server("364 alice " + IrcHarness.SERVER + " " + IrcHarness.SERVER + " :0 " + IrcHarness.DESCRIPTION),
                server("365 alice * :End of /LINKS list"));
    }

    @Test
    void adminAnswersWithTheFourNumericsAndHelpopIsHelp() {
        Client alice = server.irc("alice");
        alice.send("ADMIN");
        assertThat(alice.take()).extracting(IrcHarness::commandOf).containsExactly("256", "257", "258", "259");
        alice.send("HELPOP PRIVMSG");
        assertThat(alice.take()).extracting(IrcHarness::commandOf).containsExactly("704", "705", "706");
    }

    @Test
    void aClientOnGbkChoosesItBeforeRegisteringAndChatsWithUtf8Users() {
        Client gbk = server.acceptIrc();
        // A registration verb first: that is what makes the connection IRC.
        gbk.sendRaw("CAP LS 302\r\nCHARSET GBK\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(gbk.take(GBK)).last().isEqualTo(server("NOTICE * :Your charset is now GBK"));
        gbk.sendRaw("NICK 张伟\r\nUSER zw 0 * :张伟\r\nCAP END\r\nJOIN #chan\r\n".getBytes(GBK));
        assertThat(gbk.take(GBK)).first().asString().startsWith(server("001 张伟 "));
        Client alice = server.irc("alice");
        alice.send("JOIN #chan");
        server.settle();
        gbk.take(GBK);
        alice.take();

        gbk.sendRaw("PRIVMSG #chan :你好 café\r\n".getBytes(GBK));
        assertThat(alice.take()).containsExactly(":张伟!~zw@127.0.0.1 PRIVMSG #chan :你好 café");
        alice.send("PRIVMSG #chan :谢谢 👍");
        assertThat(gbk.take(GBK)).as("what GBK cannot hold is a ?")
                .containsExactly(":" + ircPrefix("alice") + " PRIVMSG #chan :谢谢 ?");
    }

    @Test
    void gbkLinesAreRecognisedAndTheConnectionSwitchesOnceTold() {
        Client gbk = server.irc("wei");
        Client alice = server.irc("alice");
        gbk.send("JOIN #chan");
        alice.send("JOIN #chan");
        server.settle();
        gbk.take();
        alice.take();

        gbk.sendRaw("PRIVMSG #chan :大家好，今天我们讨论一下服务器的问题\r\n".getBytes(GBK));
        assertThat(gbk.take(GBK)).containsExactly(
                server("NOTICE wei :Your charset is now GB18030 (detected from what you sent); CHARSET NAME changes it"));
        assertThat(alice.take()).containsExactly(":" + ircPrefix("wei") + " PRIVMSG #chan :大家好，今天我们讨论一下服务器的问题");
        alice.send("PRIVMSG #chan :好的");
        assertThat(gbk.take(GBK)).containsExactly(":" + ircPrefix("alice") + " PRIVMSG #chan :好的");
    }

    @Test
    void registrationLinesAreNeverEvidence() {
        Client latin = server.acceptIrc();
        latin.sendRaw("NICK bar\r\nUSER u * * :i\u00e8rc\u00e9 \u00e9t\u00e9 fran\u00e7ais caf\u00e9\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(latin.take()).containsExactly(server("FAIL USER INVALID_UTF8 :Message rejected: this server takes UTF-8 only"));
    }

    @Test
    void anUnknownOrNonAsciiCharsetIsRefusedAndUtf8Stays() {
        Client alice = server.irc("alice");
        alice.send("CHARSET UTF-16");
        assertThat(alice.take()).singleElement().asString()
                .startsWith(server("FAIL CHARSET INVALID_CHARSET UTF-16 :charset UTF-16 is not ASCII-compatible"));
        alice.send("CHARSET nonsense");
        assertThat(alice.take()).containsExactly(server("FAIL CHARSET INVALID_CHARSET nonsense :unknown charset \"nonsense\""));
        alice.send("CHARSET");
        assertThat(alice.take()).containsExactly(server("NOTICE alice :Your charset is UTF-8"));
    }

    @Test
    void aChosenCharsetStopsDetectionAndUtf8OnlyHoldsForUtf8() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        alice.send("CHARSET UTF-8");
        alice.take();
        alice.sendRaw("PRIVMSG bob :大家好，今天我们讨论一下服务器的问题\r\n".getBytes(GBK));
        assertThat(alice.take()).containsExactly(server("FAIL PRIVMSG INVALID_UTF8 :Message rejected: this server takes UTF-8 only"));
        assertThat(bob.take()).isEmpty();
    }
}
