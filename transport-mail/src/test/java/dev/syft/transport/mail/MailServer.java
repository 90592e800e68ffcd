package dev.syft.transport.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.syft.transport.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * One in-process GreenMail (SMTP + IMAP on free loopback ports) for a test class; every address is a
 * mailbox whose password is {@code pw-<address>}. Stores connect as their own user.
 */
final class MailServer implements AutoCloseable {
  final GreenMail mail;

  MailServer() {
    mail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
    mail.start();
  }

  int smtpPort() {
    return mail.getSmtp().getPort();
  }

  int imapPort() {
    return mail.getImap().getPort();
  }

  /** Creates the mailbox if needed. */
  void user(String email) {
    var existing = mail.getUserManager().getUserByEmail(email);
    if (existing == null) {
      mail.setUser(email, email, "pw-" + email);
    } else {
      existing.setPassword("pw-" + email); // made by GreenMail on first delivery, with another password
    }
  }

  /** The transport URI of {@code email}'s mailbox (plain text, loopback; the password goes in the options). */
  String uri(String email, long maxMessageBytes) {
    return uri(email, maxMessageBytes, smtpPort());
  }

  String uri(String email, long maxMessageBytes, int smtpPort) {
    user(email);
    return "imap+smtp://" + email.replace("@", "%40") + "@127.0.0.1:" + imapPort() + "?security=none&smtp_port="
        + smtpPort + "&max_message_bytes=" + maxMessageBytes;
  }

  Map<String, String> options(String email) {
    Map<String, String> o = new HashMap<>();
    o.put("password", "pw-" + email);
    return o;
  }

  MailBlobStore store(String email, long maxMessageBytes) {
    return store(email, maxMessageBytes, smtpPort());
  }

  MailBlobStore store(String email, long maxMessageBytes, int smtpPort) {
    try {
      return MailStorageProvider.connect(MailStorageProvider.MailLocation.parse(
          URI.create(uri(email, maxMessageBytes, smtpPort)), options(email)), Clock.systemUTC());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Storage storage(String email, long maxMessageBytes) {
    return MailStorageProvider.mailStorage(store(email, maxMessageBytes), email, "mail " + email);
  }

  /** A store that files plaintext protocol messages too (the conformance suite writes plain bytes). */
  Storage lenientStorage(String email, long maxMessageBytes) {
    try {
      Map<String, String> o = options(email);
      o.put("require_envelopes", "false");
      MailBlobStore st = MailStorageProvider.connect(MailStorageProvider.MailLocation.parse(
          URI.create(uri(email, maxMessageBytes)), o), Clock.systemUTC());
      return MailStorageProvider.mailStorage(st, email, "mail " + email);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends raw mail over SMTP as anybody (GreenMail takes unauthenticated submissions): how a forger would. */
  void inject(jakarta.mail.internet.MimeMessage m, String to) {
    try {
      java.util.Properties p = new java.util.Properties();
      p.put("mail.smtp.host", "127.0.0.1");
      p.put("mail.smtp.port", Integer.toString(smtpPort()));
      jakarta.mail.Session s = jakarta.mail.Session.getInstance(p);
      try (jakarta.mail.Transport t = s.getTransport("smtp")) {
        t.connect();
        t.sendMessage(m, new jakarta.mail.Address[] {new jakarta.mail.internet.InternetAddress(to)});
      }
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Empties every mailbox (between fixtures of one class). */
  void purge() {
    try {
      mail.purgeEmailFromAllMailboxes();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    mail.stop();
  }
}
