package dev.syft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;

/**
 * Runs every {@code java} block of docs/java-api.md, unchanged and in order, through JShell (in this
 * JVM, on the test class path), so the page cannot drift from the API. Each snippet must compile and
 * run without an exception; then the values the page promises are checked.
 */
class JavaApiDocTest {
  private static final Path DOC = Path.of("..", "docs", "java-api.md");
  private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyJavaBlockRunsAsWritten() throws Exception {
    String doc = Files.readString(DOC);
    List<String> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(doc);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).as("java blocks in %s", DOC).hasSizeGreaterThanOrEqualTo(5);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream stdout = System.out;
    // the local engine runs snippets in this JVM: their System.out is ours
    System.setOut(print);
    try (JShell shell = JShell.builder().executionEngine("local").out(print).err(print).build()) {
      for (String entry : classPath().split(File.pathSeparator)) {
        shell.addToClasspath(entry);
      }
      SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
      for (String block : blocks) {
        String rest = block;
        while (!rest.isBlank()) {
          SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
          assertThat(info.completeness().isComplete()).as("incomplete snippet in the doc: %s", rest).isTrue();
          run(shell, info.source(), out);
          rest = info.remaining();
        }
      }
      assertThat(value(shell, "rows")).isEqualTo("\"3\"");
      assertThat(value(shell, "hospital")).startsWith("Syft[do@hospital.example on local:").doesNotContain("?");
      assertThat(value(shell, "patients"))
          .isEqualTo("Dataset[patients of do@hospital.example, \"Cardiology ward\", 1 mock file(s)]");
      assertThat(value(shell, "jobs")).startsWith("[0] ds@university.example/count-rows  done  from ds@university.example to do@hospital.example");
      assertThat(value(shell, "job")).isEqualTo("Job[ds@university.example/count-rows, done, from "
          + "ds@university.example to do@hospital.example]");
      assertThat(value(shell, "mine").toString()).contains("count-rows");
      // times are Instants, and a clean round has neither peer nor part errors
      assertThat(value(shell, "lastSync")).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
      assertThat(value(shell, "submitted")).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
      assertThat(value(shell, "clean")).isEqualTo("true");
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("code/script.sh  ").contains("outputs/rows.txt");
    } finally {
      System.setOut(stdout);
    }
  }

  private static void run(JShell shell, String source, ByteArrayOutputStream out) {
    for (SnippetEvent e : shell.eval(source)) {
      String where = "snippet:\n" + source + "\noutput so far:\n" + out.toString(StandardCharsets.UTF_8);
      if (e.exception() != null) {
        throw new AssertionError("threw " + e.exception() + " in " + where, e.exception());
      }
      assertThat(e.status()).as("%s: %s", shell.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList(), where)
          .isIn(Snippet.Status.VALID, Snippet.Status.OVERWRITTEN);
    }
  }

  private static String value(JShell shell, String name) {
    return shell.variables().filter(v -> v.name().equals(name)).findFirst().map(shell::varValue)
        .orElseThrow(() -> new AssertionError("the doc declares no variable " + name));
  }

  /** The test class path (surefire's manifest-only booter jar hides it from java.class.path). */
  private static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }
}
