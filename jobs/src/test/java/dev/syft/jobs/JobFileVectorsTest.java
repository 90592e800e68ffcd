package dev.syft.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import dev.syft.protocol.hash.Hashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every case of {@code vectors/models/jobs}: exact config.yaml / state.yaml bytes and the load rules. */
class JobFileVectorsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path tmp;

  static Path dir() {
    String prop = System.getProperty("syft.vectors.dir");
    if (prop == null || !Files.isDirectory(Path.of(prop, "models", "jobs"))) {
      fail("golden vectors not found: system property syft.vectors.dir = " + prop + " (expected models/jobs below it)");
    }
    return Path.of(prop, "models", "jobs");
  }

  static Stream<Arguments> cases(String... kinds) {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : JSON.readTree(dir().resolve("index.json").toFile()).get("cases")) {
      if (List.of(kinds).contains(c.get("kind").asString())) {
        out.add(Arguments.of(Named.of(c.get("id").asString(), c)));
      }
    }
    assertThat(out).isNotEmpty();
    return out.stream();
  }

  static Stream<Arguments> renders() {
    return cases("config_render", "state_render");
  }

  static Stream<Arguments> loads() {
    return cases("config_load", "state_load");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renders")
  void rendersByteForByte(JsonNode c) throws IOException {
    byte[] expected = Files.readAllBytes(dir().resolve(c.get("file").asString()));
    assertThat(Hashes.sha256Hex(expected)).isEqualTo(c.get("sha256").asString());
    JsonNode in = c.get("inputs");
    String text;
    if (c.get("kind").asString().equals("config_render")) {
      JobConfig cfg = new JobConfig(in.get("name").asString(), opt(in, "type", "python"),
          opt(in, "submitted_by", null), opt(in, "datasite_email", null), time(in, "submitted_at"),
          opt(in, "entrypoint", null), strings(in, "dependencies"), strings(in, "files"),
          in.path("is_folder_submission").asBoolean(false), opt(in, "code_path", null), opt(in, "job_type", "local"),
          null, Map.of());
      text = cfg.render();
      // and it reads back to the same model
      JobConfig back = JobConfig.parse(text, cfg.datasiteEmail(), cfg.submittedBy());
      assertThat(back).isEqualTo(cfg);
    } else {
      JobState st = new JobState(JobStatus.parse(opt(in, "status", "received")), time(in, "received_at"),
          opt(in, "approved_by", null), time(in, "approved_at"), opt(in, "approval_method", null),
          opt(in, "rejected_by", null), time(in, "rejected_at"), opt(in, "review_reason", null),
          time(in, "completed_at"), in.has("return_code") ? in.get("return_code").asInt() : null);
      text = st.render();
      assertThat(JobState.parse(text)).isEqualTo(st);
    }
    assertThat(text).isEqualTo(new String(expected, StandardCharsets.UTF_8));
    assertThat(text.getBytes(StandardCharsets.UTF_8)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loads")
  void loadsAsTheReferenceModelDoes(JsonNode c) throws IOException {
    String input = c.get("input").asString();
    JsonNode exp = c.get("expected");
    boolean config = c.get("kind").asString().equals("config_load");
    if (exp.get("result").asString().equals("error")) {
      if (config) {
        Path file = layout(c, input);
        assertThatThrownBy(() -> JobConfig.load(file)).isInstanceOf(JobsException.class)
            .hasMessageContaining("JobSubmissionMetadata");
      } else {
        assertThatThrownBy(() -> JobState.parse(input)).isInstanceOf(JobsException.class)
            .hasMessageContaining("validation error for JobState");
      }
      return;
    }
    JsonNode f = exp.get("fields");
    Map<String, Object> actual = new LinkedHashMap<>();
    Map<String, Object> expected = new LinkedHashMap<>();
    if (config) {
      JobConfig cfg = JobConfig.load(layout(c, input));
      actual.put("name", cfg.name());
      actual.put("type", cfg.type());
      actual.put("submitted_by", cfg.submittedBy());
      actual.put("datasite_email", cfg.datasiteEmail());
      actual.put("submitted_at", cfg.submittedAt());
      actual.put("entrypoint", cfg.entrypoint());
      actual.put("dependencies", cfg.dependencies());
      actual.put("files", cfg.files());
      actual.put("is_folder_submission", cfg.isFolderSubmission());
      actual.put("code_path", cfg.codePath());
      actual.put("job_type", cfg.jobType());
      actual.put("datasets", cfg.datasets());
      actual.put("headers", cfg.headers());
    } else {
      JobState st = JobState.parse(input);
      actual.put("status", st.status().wire());
      actual.put("received_at", st.receivedAt());
      actual.put("approved_by", st.approvedBy());
      actual.put("approved_at", st.approvedAt());
      actual.put("approval_method", st.approvalMethod());
      actual.put("rejected_by", st.rejectedBy());
      actual.put("rejected_at", st.rejectedAt());
      actual.put("review_reason", st.reviewReason());
      actual.put("completed_at", st.completedAt());
      actual.put("return_code", st.returnCode());
    }
    for (var e : f.properties()) {
      expected.put(e.getKey(), plain(e.getKey(), e.getValue()));
    }
    assertThat(actual).isEqualTo(expected);
  }

  private Path layout(JsonNode c, String input) throws IOException {
    JsonNode l = c.get("path_layout");
    Path file = tmp.resolve(l.get("datasite_email").asString()).resolve("app_data/job/inbox")
        .resolve(l.get("submitted_by_folder").asString()).resolve("j/config.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, input);
    return file;
  }

  private static Object plain(String key, JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    if (key.endsWith("_at")) {
      return OffsetDateTime.parse(v.asString()).toInstant();
    }
    if (v.isArray()) {
      List<Object> l = new ArrayList<>();
      v.forEach(x -> l.add(x.asString()));
      return l;
    }
    if (v.isObject()) {
      return JSON.convertValue(v, Map.class);
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isInt()) {
      return v.asInt();
    }
    return v.asString();
  }

  private static String opt(JsonNode in, String key, String dflt) {
    return in.has(key) && !in.get(key).isNull() ? in.get(key).asString() : dflt;
  }

  private static Instant time(JsonNode in, String key) {
    return in.has(key) && !in.get(key).isNull() ? OffsetDateTime.parse(in.get(key).asString()).toInstant() : null;
  }

  private static List<String> strings(JsonNode in, String key) {
    List<String> out = new ArrayList<>();
    if (in.has(key)) {
      in.get(key).forEach(x -> out.add(x.asString()));
    }
    return out;
  }
}
