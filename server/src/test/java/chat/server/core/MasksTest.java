package chat.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ban and exception masks: their completed form, the glob, and what a mask matches of a user. */
class MasksTest {

    private static User user(String nick, String username, String address) throws UnknownHostException {
        return new User(event -> { }, nick, new Identity(username, "", InetAddress.getByName(address)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "alice,            alice!*@*",
            "*,                *!*@*",
            "*@127.0.0.1,      *!*@127.0.0.1",
            "alice@10.0.0.1,   *!alice@10.0.0.1",
            "alice!~a,         alice!~a@*",
            "alice!*,          alice!*@*",
            "alice!~a@host,    alice!~a@host",
            "*!*@*.example,    *!*@*.example"})
    void aMaskIsCompletedToNickUserHost(String mask, String full) {
        assertThat(Masks.normalize(mask)).isEqualTo(full);
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
            "abc,      abc,     true",
            "abc,      abd,     false",
            "abc,      abcd,    false",
            "abcd,     abc,     false",
            "'',       '',      true",
            "*,        '',      true",
            "*,        anything, true",
            "?,        '',      false",
            "?,        a,       true",
            "??,       a,       false",
            "a?c,      abc,     true",
            "a?c,      ac,      false",
            "a*,       a,       true",
            "*a,       bba,     true",
            "*a,       bab,     false",
            "a*b*c,    aXbYc,   true",
            "a*b*c,    aXbYcZ,  false",
            // backtracking: the first candidate for each star is the wrong one
            "*ab,      aab,     true",
            "*aab,     aaab,    true",
            "a*ab,     aaaab,   true",
            "*a*b,     xaxxab,  true",
            "*ab*cd,   abxabcdcd, true",
            "*abc*abd, abcabcabd, true",
            "*abc*abd, abcabcabe, false",
            "**,       x,       true",
            "*?*,      '',      false",
            "*?*,      x,       true",
            "?*?,      x,       false",
            "?*?,      xy,      true"})
    void globMatchesStarAndQuestionMark(String pattern, String text, boolean matches) {
        assertThat(Masks.glob(pattern, text)).isEqualTo(matches);
    }

    @Test
    void aLongHopelessMatchEndsQuickly() {
        String text = "a".repeat(5_000);
        assertThat(Masks.glob("*a*a*a*a*a*a*a*a*b", text)).isFalse();
        assertThat(Masks.glob("*a*a*a*a*a*a*a*a*a", text)).isTrue();
    }

    @Test
    void aMaskMatchesNickUserAndHost() throws Exception {
        User alice = user("alice", "~al", "10.0.0.7");

        assertThat(Masks.matches("alice", alice)).isTrue();
        assertThat(Masks.matches("bob", alice)).isFalse();
        assertThat(Masks.matches("ali*", alice)).isTrue();
        assertThat(Masks.matches("*!~al@*", alice)).isTrue();
        assertThat(Masks.matches("*!~bo@*", alice)).isFalse();
        assertThat(Masks.matches("*@10.0.0.*", alice)).isTrue();
        assertThat(Masks.matches("*@10.0.1.*", alice)).isFalse();
        assertThat(Masks.matches("alice!~al@10.0.0.7", alice)).isTrue();
        assertThat(Masks.matches("alice!~al@10.0.0.8", alice)).isFalse();
        assertThat(Masks.matches("?????", alice)).isTrue();
        assertThat(Masks.matches("????", alice)).isFalse();
    }

    @Test
    void masksFoldCaseAsNicksDo() throws Exception {
        User bob = user("Bob", "~Bob", "10.0.0.1");
        User wide = user("Ｂｏｂ", "~b", "10.0.0.1");
        User anne = user("Änne", "~a", "10.0.0.1");

        assertThat(Masks.matches("BOB", bob)).isTrue();
        assertThat(Masks.matches("bob!~BOB@*", bob)).isTrue();
        assertThat(Masks.matches("bob", wide)).as("full-width folds to ASCII, as Names.key does").isTrue();
        assertThat(Masks.matches("änne", anne)).isTrue();
        assertThat(Masks.matches("ÄN*", anne)).isTrue();
        assertThat(Names.key("ÄNNE!*@*")).isEqualTo(Names.key("änne!*@*"));
    }

    @Test
    void aBanOnLoopbackMatchesEveryoneFromLoopback() throws Exception {
        String mask = "*!*@127.0.0.1";
        assertThat(Masks.matches(mask, user("alice", "~alice", "127.0.0.1"))).isTrue();
        assertThat(Masks.matches(mask, user("guest-1234", "~chat", "127.0.0.1"))).isTrue();
        assertThat(Masks.matches(mask, user("bob", "~bob", "127.0.0.2"))).isFalse();
        assertThat(Masks.matches(mask, user("carol", "~carol", "10.127.0.0"))).isFalse();
        assertThat(Masks.matches("*@127.0.0.1", user("dave", "~dave", "127.0.0.1"))).isTrue();
    }
}
