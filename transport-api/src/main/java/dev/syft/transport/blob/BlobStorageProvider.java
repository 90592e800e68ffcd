package dev.syft.transport.blob;

import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.StorageProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of providers whose transport is a plain store wrapped in {@link BlobStorage} (S3, SFTP). A
 * subclass only connects ({@link #connect}); this class checks the identity map and opens the storage.
 *
 * <p>Identity: the store's administrator maps every login (an access key, an SSH account) to its
 * owner's e-mail in {@value #IDENTITY_MAP} at the top of the store ({@code {"<section>": {"<login>":
 * "alice@example.com"}}}), which peers may read but not write. {@link #open} refuses an e-mail the map
 * does not give the login, so a client cannot claim another peer's drive.
 */
public abstract class BlobStorageProvider implements StorageProvider {
  /** The identity map, at the top of the store (a reserved name: no drive can be called that). */
  public static final String IDENTITY_MAP = ".syft-identities.json";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Who a connection is logged in as, and the words refusals use.
   *
   * @param section the identity map's section ({@code access_keys}, {@code accounts})
   * @param login the key into that section (the access key id, the SSH account)
   * @param loginLabel how a person reads it ({@code access key AKIA...}, {@code the account alice})
   * @param where the store as shown in messages, ending with '/' (the map's path is {@code where + IDENTITY_MAP})
   * @param administrator who keeps the map ({@code bucket administrator})
   * @param readme where setting it up is described ({@code transport-s3})
   * @param otherCredential what else the user could use ({@code key}, {@code account})
   */
  public record Login(String section, String login, String loginLabel, String where, String administrator,
      String readme, String otherCredential) {}

  /**
   * A connected, authenticated store.
   *
   * @param description how the storage describes itself (logs, errors)
   */
  public record Connection(BlobStore store, Login login, String description) {}

  /**
   * Connects to the store {@code uri} names and logs in; {@code options} come from the client's
   * config (see {@link #options}). The store is closed by this class when opening fails later.
   */
  protected abstract Connection connect(URI uri, Map<String, String> options) throws IOException;

  /** A failure of the store's own kind (e.g. an SDK exception) as a storage error; null to throw it as it is. */
  protected IOException translate(RuntimeException e, Connection c) {
    return null;
  }

  /**
   * {@code syft init}: connects once, so a wrong identity (the map gives the login to another e-mail),
   * bad credentials or an unknown host key are refused before a home is created. Creates nothing.
   */
  @Override
  public Optional<String> prepare(URI uri, String email, Map<String, String> options) throws IOException {
    open(uri, email, options).close();
    return Optional.empty();
  }

  @Override
  public Storage open(URI uri, String email, Map<String, String> options) throws IOException {
    String me = BlobStorage.identityOf(email);
    Connection c = connect(uri, options);
    try {
      verifyIdentity(c.store(), c.login(), me);
      return new BlobStorage(c.store(), me, c.description(), true);
    } catch (IOException | RuntimeException e) {
      c.store().close();
      IOException mapped = e instanceof RuntimeException re ? translate(re, c) : null;
      if (mapped != null) {
        throw mapped;
      }
      throw e;
    }
  }

  /** Refuses unless the store's identity map gives {@code login} exactly {@code email}. */
  public static void verifyIdentity(BlobStore store, Login login, String email) throws IOException {
    String map = login.where() + IDENTITY_MAP;
    Map<?, ?> logins;
    try (InputStream in = store.get(IDENTITY_MAP)) {
      Object v = JSON.readValue(in.readNBytes(1 << 20), Map.class).get(login.section());
      logins = v instanceof Map<?, ?> m ? m : Map.of();
    } catch (StorageException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        throw new StorageException(Kind.FORBIDDEN, login.where() + " has no identity map " + IDENTITY_MAP + ": the "
            + login.administrator() + " must map " + login.loginLabel() + " to " + email + " there (see the "
            + login.readme() + " README)");
      }
      throw e;
    } catch (tools.jackson.core.JacksonException e) {
      throw new StorageException(Kind.INVALID, "the identity map " + map + " is not valid JSON: " + e.getOriginalMessage());
    }
    Object mapped = logins.get(login.login());
    if (mapped == null) {
      throw new StorageException(Kind.FORBIDDEN, login.loginLabel() + " is not in the identity map " + map
          + "; ask the " + login.administrator() + " to map it to " + email);
    }
    String m = mapped.toString().trim().toLowerCase(Locale.ROOT);
    if (!m.equals(email)) {
      throw new StorageException(Kind.FORBIDDEN, login.loginLabel() + " belongs to " + m + " (per " + map + "), not to "
          + email + ": use " + m + "'s home or that e-mail's own " + login.otherCredential());
    }
  }

  /** The options of {@code uri}'s query (URL-decoded; a bare key means "true"), overridden by {@code given}. */
  public static Map<String, String> options(URI uri, Map<String, String> given) {
    Map<String, String> o = new LinkedHashMap<>();
    String q = uri.getRawQuery();
    if (q != null && !q.isEmpty()) {
      for (String pair : q.split("&")) {
        int eq = pair.indexOf('=');
        o.put(URLDecoder.decode(eq >= 0 ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8),
            eq >= 0 ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "true");
      }
    }
    if (given != null) {
      o.putAll(given);
    }
    return Map.copyOf(o);
  }
}
