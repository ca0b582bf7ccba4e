package dev.runbook.model;

import java.util.regex.Pattern;

/**
 * Database URLs as they may be shown: a password written in the URL itself ({@code
 * //user:secret@host}, {@code ?password=secret}, the PostgreSQL JDBC driver's and libpq's forms)
 * is replaced by {@code ****} before a URL reaches an error message, the console or the log.
 */
public final class JdbcUrls {

    private static final Pattern USERINFO = Pattern.compile("(//[^/@:?#]*):[^/@?#]*@");
    private static final Pattern PARAM = Pattern.compile("(?i)([?&;](?:password|sslpassword|pass)=)[^&;#]*");

    private JdbcUrls() {}

    /**
     * @param url a JDBC or {@code postgresql://} URL; may be null
     * @return the URL with every password replaced by {@code ****}
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        String u = USERINFO.matcher(url).replaceAll("$1:****@");
        return PARAM.matcher(u).replaceAll("$1****");
    }
}
