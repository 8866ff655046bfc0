package chat.server.core;

import java.net.InetAddress;

/**
 * Who a user is beyond its nick: the user name it gave (IRC's USER; a fixed name for dialects
 * that ask for none), its real name, and the address it connected from. Fixed for a
 * connection's life, so a dialect may make one per connection, or share one.
 *
 * @param username what IRC shows between {@code !} and {@code @}
 * @param realname free text (IRC's USER and WHOIS); may be empty
 * @param address where the user connected from
 */
public record Identity(String username, String realname, InetAddress address) {

    /** The address as text, for prefixes and masks: {@code 127.0.0.1}, {@code ::1}. */
    public String host() {
        return address.getHostAddress();
    }
}
