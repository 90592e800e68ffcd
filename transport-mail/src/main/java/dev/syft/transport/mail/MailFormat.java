package dev.syft.transport.mail;

import jakarta.activation.DataHandler;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The e-mail form of one Syft part: a two-part MIME message (a short human note, then the bytes as an
 * {@code application/octet-stream} attachment) with machine headers. Nothing here reads the From
 * header: a sender is trusted only through the SYC2 signature core checks.
 */
final class MailFormat {
  static final String H_MESSAGE = "X-Syft-Message";
  static final String H_PATH = "X-Syft-Path";
  static final String H_VERSION = "X-Syft-Version";
  static final String H_CHUNK = "X-Syft-Chunk";
  static final String H_SIZE = "X-Syft-Size";
  static final String H_SHA256 = "X-Syft-Sha256";
  static final String[] HEADERS = {H_MESSAGE, H_PATH, H_VERSION, H_CHUNK, H_SIZE, H_SHA256};
  /** Longest encoded path that fits one header line (RFC 5322: 998 characters). */
  static final int MAX_PATH_HEADER = 980;

  private MailFormat() {}

  static String encodePath(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8);
  }

  static MimeMessage build(Session session, String from, List<InternetAddress> to, Part p, byte[] content)
      throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(from));
    m.setRecipients(Message.RecipientType.TO, to.isEmpty() ? new InternetAddress[] {new InternetAddress(from)}
        : to.toArray(InternetAddress[]::new));
    String name = p.path().substring(p.path().lastIndexOf('/') + 1);
    m.setSubject("[syft] " + p.kind().header + " " + name + (p.count() > 1 ? " (" + (p.index() + 1) + "/" + p.count() + ")" : ""),
        "UTF-8");
    m.setHeader(H_MESSAGE, p.kind().header);
    m.setHeader(H_PATH, encodePath(p.path()));
    m.setHeader(H_VERSION, p.version());
    if (p.kind() == Part.Kind.FILE) {
      m.setHeader(H_CHUNK, p.index() + "/" + p.count());
      m.setHeader(H_SIZE, Long.toString(p.total()));
      m.setHeader(H_SHA256, p.sha256());
    }
    MimeMultipart mp = new MimeMultipart();
    MimeBodyPart note = new MimeBodyPart();
    note.setText("Machine mail of the Syft e-mail transport (syft-java). Leave it to the client: it files it away.\n",
        "UTF-8");
    mp.addBodyPart(note);
    if (p.kind() == Part.Kind.FILE) {
      MimeBodyPart att = new MimeBodyPart();
      att.setDataHandler(new DataHandler(new ByteArrayDataSource(content, "application/octet-stream")));
      att.setFileName(p.count() > 1 ? "part-" + p.index() + ".bin" : "content.bin");
      att.setHeader("Content-Transfer-Encoding", "base64"); // bytes as they are, whatever they look like
      mp.addBodyPart(att);
    }
    m.setContent(mp);
    m.saveChanges();
    return m;
  }

  /** The part a message describes, or null when it is not (well-formed) Syft mail. */
  static Part parse(Message m, long uid) throws MessagingException {
    Part.Kind kind = Part.Kind.of(one(m, H_MESSAGE));
    String rawPath = one(m, H_PATH);
    String version = one(m, H_VERSION);
    if (kind == null || rawPath == null || !Versions.valid(version)) {
      return null;
    }
    String path;
    try {
      path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")
        || ("/" + path + "/").contains("/../") || ("/" + path + "/").contains("/./")) {
      return null;
    }
    if (kind != Part.Kind.FILE) {
      return new Part(uid, path, kind, version, 0, 1, 0, "");
    }
    String chunk = one(m, H_CHUNK);
    String size = one(m, H_SIZE);
    String sha = one(m, H_SHA256);
    if (chunk == null || size == null || sha == null || !sha.matches("[0-9a-f]{64}")) {
      return null;
    }
    try {
      int slash = chunk.indexOf('/');
      int index = Integer.parseInt(chunk.substring(0, slash).trim());
      int count = Integer.parseInt(chunk.substring(slash + 1).trim());
      long total = Long.parseLong(size.trim());
      if (count < 1 || count > 1_000_000 || index < 0 || index >= count || total < 0) {
        return null;
      }
      return new Part(uid, path, kind, version, index, count, total, sha);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String one(Message m, String name) throws MessagingException {
    String[] v = m.getHeader(name);
    return v == null || v.length != 1 ? null : v[0].trim();
  }

  /** The attachment's decoded bytes (a FILE part has exactly one). */
  static InputStream content(Message m) throws MessagingException, IOException {
    Object c = m.getContent();
    if (!(c instanceof Multipart mp) || mp.getCount() < 2) {
      throw new IOException("a Syft file mail without its attachment");
    }
    BodyPart att = mp.getBodyPart(1);
    return att.getInputStream();
  }
}
