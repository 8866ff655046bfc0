package chat.server.irc;

/**
 * The numeric replies this server sends, by their names in Modern IRC, so the code says which
 * reply it means and a reader can look it up.
 */
final class Numeric {

    private Numeric() {
    }

    static final String RPL_WELCOME = "001";
    static final String RPL_YOURHOST = "002";
    static final String RPL_CREATED = "003";
    static final String RPL_MYINFO = "004";
    static final String RPL_ISUPPORT = "005";
    static final String RPL_ENDOFSTATS = "219";
    static final String RPL_UMODEIS = "221";
    static final String RPL_STATSUPTIME = "242";
    /** Free-form server statistics, one line each (ircu, hybrid and Unreal use it for STATS z and the like). */
    static final String RPL_STATSDEBUG = "249";
    static final String RPL_LUSERCLIENT = "251";
    static final String RPL_LUSEROP = "252";
    static final String RPL_LUSERUNKNOWN = "253";
    static final String RPL_LUSERCHANNELS = "254";
    static final String RPL_LUSERME = "255";
    static final String RPL_LOCALUSERS = "265";
    static final String RPL_GLOBALUSERS = "266";
    static final String RPL_AWAY = "301";
    static final String RPL_USERHOST = "302";
    static final String RPL_ISON = "303";
    static final String RPL_UNAWAY = "305";
    static final String RPL_NOWAWAY = "306";
    static final String RPL_WHOISUSER = "311";
    static final String RPL_WHOISOPERATOR = "313";
    static final String RPL_WHOISBOT = "335";
    static final String RPL_YOUREOPER = "381";
    static final String ERR_NOPRIVILEGES = "481";
    static final String ERR_NOOPERHOST = "491";
    static final String RPL_WHOWASUSER = "314";
    static final String RPL_ENDOFWHOWAS = "369";
    static final String ERR_WASNOSUCHNICK = "406";
    static final String RPL_WHOISSERVER = "312";
    static final String RPL_ENDOFWHO = "315";
    static final String RPL_ENDOFWHOIS = "318";
    static final String RPL_WHOISCHANNELS = "319";
    static final String RPL_LISTSTART = "321";
    static final String RPL_LIST = "322";
    static final String RPL_LISTEND = "323";
    static final String RPL_CHANNELMODEIS = "324";
    static final String RPL_CREATIONTIME = "329";
    static final String RPL_NOTOPIC = "331";
    static final String RPL_TOPIC = "332";
    static final String RPL_TOPICWHOTIME = "333";
    static final String RPL_INVITING = "341";
    static final String RPL_INVITELIST = "346";
    static final String RPL_ENDOFINVITELIST = "347";
    static final String RPL_EXCEPTLIST = "348";
    static final String RPL_ENDOFEXCEPTLIST = "349";
    static final String RPL_BANLIST = "367";
    static final String RPL_VERSION = "351";
    static final String RPL_WHOREPLY = "352";
    static final String RPL_NAMREPLY = "353";
    static final String RPL_ENDOFNAMES = "366";
    static final String RPL_ENDOFBANLIST = "368";
    static final String RPL_LINKS = "364";
    static final String RPL_ENDOFLINKS = "365";
    static final String RPL_ADMINME = "256";
    static final String RPL_ADMINLOC1 = "257";
    static final String RPL_ADMINLOC2 = "258";
    static final String RPL_ADMINEMAIL = "259";
    static final String RPL_WHOISKEYVALUE = "760";
    static final String RPL_KEYVALUE = "761";
    static final String RPL_KEYNOTSET = "766";
    static final String ERR_KEYNOTSET = "768";
    static final String RPL_METADATASUBOK = "770";
    static final String RPL_METADATAUNSUBOK = "771";
    static final String RPL_METADATASUBS = "772";
    static final String RPL_INFO = "371";
    static final String RPL_ENDOFINFO = "374";
    static final String RPL_MOTD = "372";
    static final String RPL_MOTDSTART = "375";
    static final String RPL_ENDOFMOTD = "376";
    static final String RPL_TIME = "391";
    static final String ERR_NOSUCHNICK = "401";
    static final String ERR_NOSUCHCHANNEL = "403";
    static final String ERR_TOOMANYCHANNELS = "405";
    static final String ERR_CANNOTSENDTOCHAN = "404";
    static final String ERR_NORECIPIENT = "411";
    static final String ERR_NOTEXTTOSEND = "412";
    static final String ERR_INPUTTOOLONG = "417";
    static final String ERR_UNKNOWNCOMMAND = "421";
    static final String ERR_NOMOTD = "422";
    static final String ERR_NONICKNAMEGIVEN = "431";
    static final String ERR_ERRONEUSNICKNAME = "432";
    static final String ERR_NICKNAMEINUSE = "433";
    static final String ERR_USERNOTINCHANNEL = "441";
    static final String ERR_NOTONCHANNEL = "442";
    static final String ERR_USERONCHANNEL = "443";
    static final String ERR_NOTREGISTERED = "451";
    static final String ERR_NEEDMOREPARAMS = "461";
    static final String ERR_ALREADYREGISTERED = "462";
    static final String ERR_PASSWDMISMATCH = "464";
    static final String ERR_CHANNELISFULL = "471";
    static final String ERR_UNKNOWNMODE = "472";
    static final String ERR_BANLISTFULL = "478";
    static final String ERR_INVITEONLYCHAN = "473";
    static final String ERR_BANNEDFROMCHAN = "474";
    static final String ERR_BADCHANNELKEY = "475";
    static final String ERR_BADCHANMASK = "476";
    static final String ERR_CHANOPRIVSNEEDED = "482";
    static final String ERR_UMODEUNKNOWNFLAG = "501";
    static final String ERR_USERSDONTMATCH = "502";
    static final String ERR_INVALIDMODEPARAM = "696";
    static final String ERR_INVALIDCAPCMD = "410";
    static final String RPL_WHOSPCRPL = "354";
    static final String RPL_MONONLINE = "730";
    static final String RPL_MONOFFLINE = "731";
    static final String RPL_MONLIST = "732";
    static final String RPL_ENDOFMONLIST = "733";
    static final String ERR_MONLISTFULL = "734";
    static final String RPL_HELPSTART = "704";
    static final String RPL_HELPTXT = "705";
    static final String RPL_ENDOFHELP = "706";
    static final String ERR_HELPNOTFOUND = "524";

    // SASL and accounts (IRCv3 sasl-3.1)
    static final String RPL_WHOISACCOUNT = "330";
    static final String RPL_LOGGEDIN = "900";
    static final String RPL_LOGGEDOUT = "901";
    static final String RPL_SASLSUCCESS = "903";
    static final String ERR_SASLFAIL = "904";
    static final String ERR_SASLTOOLONG = "905";
    static final String ERR_SASLABORTED = "906";
    static final String ERR_SASLALREADY = "907";
    static final String RPL_SASLMECHS = "908";
}
