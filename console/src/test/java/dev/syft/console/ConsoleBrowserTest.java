package dev.syft.console;

import static dev.syft.console.Homes.DO;
import static dev.syft.console.Homes.DS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syft.core.SyftClient;
import dev.syft.datasets.Datasets;
import dev.syft.datasets.NewDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The whole review flow in a real browser: two homes on one local: folder, a console for each; the
 * data owner approves the scientist, shares a dataset, reviews the submitted code, approves, runs
 * and releases the outputs; the scientist's page shows the result. Screenshots of every page go to
 * target/screenshots/.
 */
class ConsoleBrowserTest {
  static final String JOB = """
      # mean age of the cohort <script>alert('owned')</script>
      import csv
      import os

      from syft_client import resolve_dataset_file_path

      path = resolve_dataset_file_path("patients")
      with open(path, newline="") as f:
          ages = [int(row["age"]) for row in csv.DictReader(f)]
      os.makedirs("outputs", exist_ok=True)
      with open("outputs/result.csv", "w") as f:
          f.write("rows,mean_age\\n%d,%.2f\\n" % (len(ages), sum(ages) / len(ages)))
      print("private ages:", ages)
      """;

  @TempDir static Path tmp;
  static Homes homes;
  static Console doConsole;
  static Console dsConsole;
  static WebDriver web;

  @BeforeAll
  static void start() throws Exception {
    String missing = Browser.missing();
    Assumptions.assumeTrue(missing == null, missing);
    homes = new Homes(tmp);
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("mock.csv"), "name,age\nalice <b>,1\nbob,2\ncarol,3\n");
    Files.writeString(data.resolve("private.csv"), "name,age\nann,30\nben,40\ncid,50\n");
    try (SyftClient c = SyftClient.open(homes.doHome)) {
      if (dev.syft.jobs.Jobs.of(c).isolation() == dev.syft.jobs.Isolation.NONE) {
        // like 'syft demo' on a machine with neither bubblewrap nor namespaces: the data is made up
        Path config = homes.doHome.resolve("config.yaml");
        Files.writeString(config, Files.readString(config).replace("require_sandbox: true", "require_sandbox: false"));
      }
      Datasets.of(c).create(NewDataset.builder("patients", data.resolve("mock.csv"), data.resolve("private.csv"))
          .summary("Patients of the cardiology ward").build());
    }
    try (SyftClient c = SyftClient.open(homes.dsHome)) {
      c.peers().add(DO);
      c.sync();
    }
    doConsole = Console.start(Console.Options.loopback(homes.doHome, 0));
    dsConsole = Console.start(Console.Options.loopback(homes.dsHome, 0));
    web = Browser.start(Files.createDirectories(tmp.resolve("profile")));
    web.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (web != null) {
      web.quit();
    }
    if (doConsole != null) {
      doConsole.close();
    }
    if (dsConsole != null) {
      dsConsole.close();
    }
  }

  private static void open(Console c, String path) {
    web.get(c.base().resolve(path).toString());
  }

  private static WebElement by(String css) {
    return web.findElement(By.cssSelector(css));
  }

  private static String flash() {
    return by("#flash").getText();
  }

  private static void syncNow() {
    by("#sync-now").click();
    assertThat(flash()).startsWith("synced:");
  }

  @Test
  void theOwnerReviewsRunsAndReleasesAndTheScientistSeesTheResult() throws Exception {
    try {
      flow();
    } catch (AssertionError | RuntimeException e) {
      Browser.screenshot(web, "failure");
      Files.writeString(Files.createDirectories(Browser.SCREENSHOTS).resolve("failure.html"), web.getPageSource());
      throw e;
    }
  }

  private void flow() throws Exception {
    // the data owner signs in with the one-time URL and sees the scientist's request
    web.get(doConsole.url().toString());
    assertThat(by("h1").getText()).isEqualTo("Overview");
    syncNow();
    open(doConsole, "/peers");
    WebElement row = by("tr[data-peer='" + DS + "']");
    assertThat(row.getText()).contains("requested_by_peer");
    Browser.screenshot(web, "01-do-peers-request");
    row.findElement(By.cssSelector("button.approve")).click();
    assertThat(flash()).contains("approved " + DS);
    assertThat(by("tr[data-peer='" + DS + "']").getText()).contains("accepted");

    // shares the dataset with the scientist
    open(doConsole, "/datasets");
    WebElement ds = by("section[data-dataset='patients']");
    assertThat(ds.findElement(By.cssSelector("table.csv")).getText()).contains("alice <b>").contains("carol");
    ds.findElement(By.name("users")).sendKeys(DS);
    ds.findElement(By.cssSelector("form.row button")).click();
    assertThat(flash()).contains("shared patients");
    assertThat(by("section[data-dataset='patients'] dl").getText()).contains("shared with\n" + DS);
    syncNow();
    Browser.screenshot(web, "02-do-datasets");

    // the scientist sees the mock and submits a job by uploading a file
    web.get(dsConsole.url().toString());
    syncNow();
    open(dsConsole, "/science");
    WebElement theirs = by("div[data-dataset='" + DO + "/patients']");
    assertThat(theirs.findElement(By.cssSelector("table.csv")).getText()).contains("alice <b>").doesNotContain("ann");
    Path job = Files.writeString(tmp.resolve("mean_age.py"), JOB);
    by("#submit-to option[value='" + DO + "']").click();
    by("#submit-name").sendKeys("mean-age");
    by("#submit-file").sendKeys(job.toAbsolutePath().toString());
    Browser.screenshot(web, "03-ds-science-submit");
    by("#submit").click();
    assertThat(flash()).contains("submitted 'mean-age' to " + DO);

    // the owner's overview updates by itself when the home syncs (as the daemon would)
    open(doConsole, "/");
    assertThat(by("#live").getText()).contains("Jobs waiting for your review (0)");
    Homes.sync(homes.doHome);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(web.findElement(By.id("live")).getText()).contains("Jobs waiting for your review (1)")
            .contains(DS + "/mean-age"));
    Browser.screenshot(web, "04-do-overview-live");

    // reviews the code: every file, highlighted, hostile text shown as text
    open(doConsole, "/jobs");
    by("table.jobs a").click();
    assertThat(by("#job-status").getText()).isEqualTo("pending");
    assertThat(by("#job-datasets").getText()).startsWith("patients");
    assertThat(by("#content-hash").getText()).matches("[0-9a-f]{64}");
    WebElement code = by("div.file[data-path='code/mean_age.py'] pre.code");
    assertThat(code.getText()).contains("<script>alert('owned')</script>").contains("resolve_dataset_file_path(\"patients\")");
    assertThat(code.findElements(By.cssSelector("span.k"))).extracting(WebElement::getText).contains("import", "with");
    assertThat(web.findElements(By.cssSelector("div.file script"))).isEmpty();
    assertThat(web.findElements(By.cssSelector("div.file[data-path='run.sh']"))).hasSize(1);
    Browser.screenshot(web, "05-do-job-review");
    Browser.scrollTo(web, code);
    Browser.screenshot(web, "05b-do-job-code");

    by("#approve").click();
    assertThat(flash()).contains("approved " + DS + "/mean-age");
    assertThat(by("#job-status").getText()).isEqualTo("approved");
    by("#run").click();
    await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
      web.navigate().refresh();
      assertThat(web.findElement(By.id("job-status")).getText()).isIn("done", "failed");
    });
    assertThat(by("#job-status").getText()).as(by("#log-stderr").getText()).isEqualTo("done");
    assertThat(by("#log-stdout").getText()).contains("private ages: [30, 40, 50]");
    WebElement out = by("div.output[data-name='result.csv']");
    assertThat(out.getText()).contains("bytes");
    assertThat(out.findElement(By.cssSelector("table.csv")).getText()).contains("mean_age").contains("40.00");
    Browser.scrollTo(web, by("#log-stdout"));
    Browser.screenshot(web, "06-do-job-done");

    // releases the outputs (not the logs) and syncs
    assertThat(by("#release-outputs").isSelected()).isTrue();
    assertThat(by("#release-logs").isSelected()).isFalse();
    by("#release").click();
    assertThat(flash()).contains("released outputs of " + DS + "/mean-age");
    assertThat(by("section.release").getText()).contains("outputs — ALREADY RELEASED");
    syncNow();
    Browser.scrollTo(web, by("section.release"));
    Browser.screenshot(web, "07-do-released");

    // the scientist's page shows the result, and no logs
    open(dsConsole, "/science");
    syncNow();
    open(dsConsole, "/science");
    WebElement mine = by("div.myjob[data-job='" + DO + "/" + DS + "/mean-age']");
    assertThat(mine.findElement(By.cssSelector("span.status")).getText()).isEqualTo("done");
    assertThat(mine.findElement(By.cssSelector("div.output table.csv")).getText()).contains("40.00");
    assertThat(mine.findElements(By.cssSelector("pre.log"))).isEmpty();
    Browser.screenshot(web, "08-ds-science-result");

    open(dsConsole, "/");
    Browser.screenshot(web, "09-ds-overview");
    assertThat(List.of(web.getWindowHandles())).hasSize(1);
  }
}
