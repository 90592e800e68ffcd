package dev.syft.transport.mail;

import dev.syft.transport.Capabilities;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.StorageProvider;
import dev.syft.transport.blob.BlobStorage;
import dev.syft.transport.decorator.ForwardingStorage;
import dev.syft.transport.decorator.Operation;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * {@code imap+smtp://user@host[:imap-port]?option=...}: a mailbox as transport (options from the client's
 * config win over the query). The identity is the mailbox's address ({@code address=}, else the user
 * name when it is an address); {@link #open} refuses any other e-mail.
 *
 * <ul>
 *   <li>{@code security=tls} (default: IMAPS 993, SMTPS 465), {@code starttls} (143, 587; STARTTLS
 *       required) or {@code none} (test servers only); {@code smtp_host=}, {@code smtp_port=},
 *       {@code imap_port=} (or the URI's port); {@code trust=HOST} trusts that host's certificate.
 *   <li>Password: from the environment variable named by {@code password_env=} (default {@code
 *       SYFT_MAIL_PASSWORD}) or the file {@code password_file=}; {@code password=} is accepted from the
 *       client's config only (test servers), never from the URI. It is never printed.
 *   <li>{@code folder=} the IMAP folder of the replica (default {@code Syft}); {@code max_message_bytes=}
 *       the largest e-mail sent (default 10,000,000): bigger files go in several.
 * </ul>
 */
public final class MailStorageProvider implements StorageProvider {
  public static final String SCHEME = "imap+smtp";
  static final long DEFAULT_MAX_MESSAGE = 10_000_000L;
  private static final int TIMEOUT_MS = 20_000;

  @Override
  public String scheme() {
    return SCHEME;
  }

  /** {@code syft init}: logs in to IMAP and SMTP once, so a bad password or address fails before a home exists. */
  @Override
  public java.util.Optional<String> prepare(URI uri, String email, Map<String, String> options) throws IOException {
    try (Storage s = open(uri, email, options)) {
      s.root();
    }
    return java.util.Optional.empty();
  }

  @Override
  public Storage open(URI uri, String email, Map<String, String> options) throws IOException {
    MailLocation loc = MailLocation.parse(uri, options);
    String me = BlobStorage.identityOf(email);
    if (!loc.address().equals(me)) {
      throw new StorageException(Kind.FORBIDDEN, "mail: this mailbox is " + loc.address() + ", not " + me
          + " (the identity on the mail transport is the mailbox's address)");
    }
    MailBlobStore store = connect(loc, Clock.systemUTC());
    return mailStorage(store, me, loc.toString());
  }

  /** BlobStorage over the mailbox, declaring no atomic create across users (mail cannot promise it). */
  static Storage mailStorage(MailBlobStore store, String me, String description) {
    store.autoRefresh(false);
    return new ForwardingStorage(new BlobStorage(store, me, description, true)) {
      @Override
      public Capabilities capabilities() {
        return Capabilities.basic();
      }

      @Override
      protected <T> T invoke(Operation op, String subject, Call<T> call) throws IOException {
        store.refreshNow(); // one look at the mailbox per operation, however many store calls it makes
        return call.run();
      }
    };
  }

  static MailBlobStore connect(MailLocation loc, Clock clock) throws IOException {
    String password = loc.password();
    Session session = Session.getInstance(loc.properties());
    try {
      Store store = session.getStore(loc.tls() ? "imaps" : "imap");
      store.connect(loc.imapHost(), loc.imapPort(), loc.user(), password);
      Transport smtp = session.getTransport(loc.tls() ? "smtps" : "smtp");
      try {
        smtp.connect(loc.smtpHost(), loc.smtpPort(), loc.user(), password);
      } catch (MessagingException e) {
        store.close();
        throw e;
      }
      return new MailBlobStore(loc.address(), session, store, smtp, password, loc.folder(), loc.maxMessageBytes(),
          !"false".equals(loc.options().get("require_envelopes")), clock);
    } catch (AuthenticationFailedException e) {
      throw new StorageException(Kind.FORBIDDEN, "mail: " + loc.user() + "@" + loc.imapHost()
          + " refused the login (check the password in " + loc.passwordSource() + ")", e);
    } catch (MessagingException e) {
      throw new StorageException(Kind.TRANSIENT, "mail: cannot connect to " + loc.imapHost() + ":" + loc.imapPort()
          + " / " + loc.smtpHost() + ":" + loc.smtpPort() + ": " + e.getMessage(), e);
    }
  }

  /** Where an {@code imap+smtp:} URI points. The password is read when connecting, never kept in here. */
  record MailLocation(String user, String address, String imapHost, int imapPort, String smtpHost, int smtpPort,
      String security, String folder, long maxMessageBytes, Map<String, String> options) {

    boolean tls() {
      return security.equals("tls");
    }

    static MailLocation parse(URI uri, Map<String, String> given) {
      if (uri.getScheme() == null || !SCHEME.equalsIgnoreCase(uri.getScheme()) || uri.isOpaque()) {
        throw new IllegalArgumentException("not an imap+smtp: URI: " + uri + " (write imap+smtp://user@host?...)");
      }
      if (uri.getHost() == null || uri.getRawUserInfo() == null || uri.getRawUserInfo().isBlank()) {
        throw new IllegalArgumentException("an imap+smtp: URI needs a user and a host: imap+smtp://user@host");
      }
      String user = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
      if (uri.getRawUserInfo().contains(":")) {
        throw new IllegalArgumentException("put no password in an imap+smtp: URI; use password_env= or password_file=");
      }
      Map<String, String> o = new LinkedHashMap<>();
      String q = uri.getRawQuery();
      if (q != null && !q.isEmpty()) {
        for (String pair : q.split("&")) {
          int eq = pair.indexOf('=');
          o.put(URLDecoder.decode(eq >= 0 ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8),
              eq >= 0 ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "true");
        }
      }
      if (o.containsKey("password")) {
        throw new IllegalArgumentException("put no password in an imap+smtp: URI; use password_env= or password_file=");
      }
      if (given != null) {
        o.putAll(given);
      }
      String security = o.getOrDefault("security", "tls").toLowerCase(Locale.ROOT);
      if (!security.matches("tls|starttls|none")) {
        throw new IllegalArgumentException("security= must be tls, starttls or none, not " + security);
      }
      String address = o.getOrDefault("address", user).trim().toLowerCase(Locale.ROOT);
      if (!address.contains("@")) {
        throw new IllegalArgumentException("the mailbox's address is unknown: log in as user@domain or add address=");
      }
      int imapPort = uri.getPort() > 0 ? uri.getPort()
          : Integer.parseInt(o.getOrDefault("imap_port", security.equals("tls") ? "993" : "143"));
      int smtpPort = Integer.parseInt(o.getOrDefault("smtp_port",
          security.equals("tls") ? "465" : security.equals("starttls") ? "587" : "25"));
      long max = Long.parseLong(o.getOrDefault("max_message_bytes", Long.toString(DEFAULT_MAX_MESSAGE)));
      if (max < 32 << 10) {
        throw new IllegalArgumentException("max_message_bytes= must be at least 32768");
      }
      String folder = o.getOrDefault("folder", "Syft");
      return new MailLocation(user, address, uri.getHost(), imapPort, o.getOrDefault("smtp_host", uri.getHost()),
          smtpPort, security, folder, max, Map.copyOf(o));
    }

    String passwordSource() {
      if (options.containsKey("password_file")) {
        return "the file " + options.get("password_file");
      }
      if (options.containsKey("password")) {
        return "the client's config";
      }
      return "$" + options.getOrDefault("password_env", "SYFT_MAIL_PASSWORD");
    }

    String password() throws StorageException {
      if (options.containsKey("password")) {
        return options.get("password");
      }
      if (options.containsKey("password_file")) {
        try {
          return Files.readString(Path.of(options.get("password_file")), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          throw new StorageException(Kind.INVALID, "mail: cannot read the password file " + options.get("password_file")
              + ": " + e.getMessage());
        }
      }
      String var = options.getOrDefault("password_env", "SYFT_MAIL_PASSWORD");
      String v = System.getenv(var);
      if (v == null || v.isEmpty()) {
        throw new StorageException(Kind.INVALID, "mail: no password: set $" + var + " (or password_file= in the"
            + " transport URI)");
      }
      return v;
    }

    Properties properties() {
      Properties p = new Properties();
      for (String proto : new String[] {"imap", "imaps", "smtp", "smtps"}) {
        p.put("mail." + proto + ".connectiontimeout", Integer.toString(TIMEOUT_MS));
        p.put("mail." + proto + ".timeout", Integer.toString(3 * TIMEOUT_MS)); // big chunks take a while
        p.put("mail." + proto + ".writetimeout", Integer.toString(TIMEOUT_MS));
        if (options.containsKey("trust")) {
          p.put("mail." + proto + ".ssl.trust", options.get("trust"));
        }
        p.put("mail." + proto + ".ssl.checkserveridentity", "true");
      }
      p.put("mail.smtp.auth", "true");
      p.put("mail.smtps.auth", "true");
      p.put("mail.smtp.host", smtpHost);
      p.put("mail.smtps.host", smtpHost);
      p.put("mail.imap.host", imapHost);
      p.put("mail.imaps.host", imapHost);
      p.put("mail.smtp.port", Integer.toString(smtpPort));
      p.put("mail.smtps.port", Integer.toString(smtpPort));
      p.put("mail.imap.port", Integer.toString(imapPort));
      p.put("mail.imaps.port", Integer.toString(imapPort));
      p.put("mail.imap.user", user);
      p.put("mail.imaps.user", user);
      p.put("mail.smtp.user", user);
      p.put("mail.smtps.user", user);
      p.put("mail.smtp.from", address);
      p.put("mail.smtps.from", address);
      if (security.equals("starttls")) {
        p.put("mail.imap.starttls.enable", "true");
        p.put("mail.imap.starttls.required", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
      }
      // big files: fetch attachments in large pieces
      p.put("mail.imap.fetchsize", Integer.toString(1 << 20));
      p.put("mail.imaps.fetchsize", Integer.toString(1 << 20));
      return p;
    }

    @Override
    public String toString() {
      return SCHEME + "://" + user + "@" + imapHost + ":" + imapPort + " (" + address + ", " + security + ")";
    }
  }
}
