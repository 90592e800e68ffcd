package dev.syft.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One reference client in its own long-lived Python process (src/test/python/syft_actor.py), spoken
 * to in JSON lines. Its home is its own folder (the reference keeps ~/SyftBox_&lt;email&gt;), its
 * printed output goes to {@code <log>}, quoted in every failure.
 */
final class PyActor implements AutoCloseable {
  static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final long CALL_TIMEOUT_SECONDS = 240;
  private static final String EOF = "\u0000eof";

  final String email;
  final Path home;
  final Path log;
  private final Process process;
  private final OutputStream in;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

  private PyActor(String email, Path home, Path log, Process process) {
    this.email = email;
    this.home = home;
    this.log = log;
    this.process = process;
    this.in = process.getOutputStream();
    Thread.ofVirtual().name("py-" + email).start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          answers.add(line);
        }
      } catch (IOException e) {
        // the process is gone; the waiting call reports it
      } finally {
        answers.add(EOF);
      }
    });
  }

  /** Starts the actor and waits until the reference is imported. */
  static PyActor start(Interop env, String email, Path home) throws IOException {
    Files.createDirectories(home);
    Path token = home.resolve("token.json");
    // the fake's OAuth endpoint turns a refresh token that is an e-mail into that user's access token
    Files.writeString(token, "{\"refresh_token\": \"" + email + "\", \"client_id\": \"interop.apps.example\", "
        + "\"client_secret\": \"interop\", \"token_uri\": \"https://oauth2.googleapis.com/token\"}\n");
    Path log = env.logs.resolve(email + ".log");
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(env.python.toString(), "-u", env.driver.toString(), "--ref",
        env.referenceDir.toString(), "--fake", env.fake.rootUrl())
        .redirectError(log.toFile()).directory(home.toFile());
    pb.environment().put("HOME", home.toString());
    pb.environment().put("PYTHONUNBUFFERED", "1");
    for (String k : List.of("PYTHONPATH", "PYTHONHOME", "SYFTCLIENT_TOKEN_PATH", "SYFTBOX_FOLDER", "SYFTBOX_EMAIL")) {
      pb.environment().remove(k);
    }
    PyActor a = new PyActor(email, home, log, pb.start());
    a.answer("start");
    return a;
  }

  Path tokenFile() {
    return home.resolve("token.json");
  }

  /** The reference's SyftBox folder for this actor. */
  Path syftbox() {
    return home.resolve("SyftBox_" + email);
  }

  /** The actor's own datasite folder. */
  Path datasite() {
    return syftbox().resolve(email);
  }

  /** Runs one operation; {@code kv} are argument names and values. Fails with the reference's error. */
  JsonNode call(String op, Object... kv) {
    ObjectNode req = JSON.createObjectNode();
    req.put("op", op);
    for (int i = 0; i < kv.length; i += 2) {
      req.set((String) kv[i], JSON.valueToTree(kv[i + 1]));
    }
    try {
      in.write((JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new AssertionError(email + ": the Python actor is gone (" + e + ")\n" + logTail(), e);
    }
    return answer(op);
  }

  private JsonNode answer(String op) {
    String line;
    try {
      line = answers.poll(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    if (line == null) {
      throw new AssertionError(email + ": no answer to " + op + " within " + CALL_TIMEOUT_SECONDS + " s\n" + logTail());
    }
    if (line.equals(EOF)) {
      answers.add(EOF);
      throw new AssertionError(email + ": the Python actor exited during " + op + "\n" + logTail());
    }
    JsonNode a = JSON.readTree(line);
    if (!a.path("ok").asBoolean(false)) {
      throw new AssertionError(email + ": " + op + " failed in the reference: " + a.path("error").asString()
          + "\n" + a.path("trace").asString() + "\n" + logTail());
    }
    return a.path("result");
  }

  /** The last lines the reference printed, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "--- last lines of " + log + " ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        in.write("{\"op\": \"quit\"}\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        in.close();
      }
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
