package dev.syft.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/ARCHITECTURE.md, checked on the compiled main classes of every module the
 * CLI ships (the CLI depends on all of them): no module reaches into another's {@code internal}
 * package, core names no concrete transport, and only the CLI prints.
 */
class ArchitectureTest {
  /** Base package of each module (transport-api's packages are below dev.syft.transport, like its plugins'). */
  static final List<String> MODULES = List.of("dev.syft.protocol", "dev.syft.permissions", "dev.syft.core",
      "dev.syft.datasets", "dev.syft.jobs", "dev.syft.transport.local", "dev.syft.transport.gdrive",
      "dev.syft.drivefake", "dev.syft.cli");

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    // the reactor hands the other modules over as jars (after package) or class folders: import both, tests excluded
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar")).importPackages("dev.syft");
  }

  @Test
  void noModuleUsesAnotherModulesInternals() {
    for (String c : List.of("dev.syft.core.internal.Engine", "dev.syft.jobs.internal.JobStore", "dev.syft.Syft",
        "dev.syft.transport.gdrive.internal.DriveCalls", "dev.syft.cli.Main")) {
      assertThat(classes.contain(c)).as("imported " + c).isTrue();
    }
    for (String m : MODULES) {
      noClasses().that().resideOutsideOfPackage(m + "..")
          .should().dependOnClassesThat().resideInAPackage(m + ".internal..")
          .because("implementation details stay inside their module (" + m + ".internal)")
          .check(classes);
    }
    // transport-api: its internal packages, if any, are below dev.syft.transport.internal
    noClasses().that().resideOutsideOfPackage("dev.syft.transport..")
        .should().dependOnClassesThat().resideInAPackage("dev.syft.transport.internal..")
        .check(classes);
  }

  @Test
  void coreAndTheModulesOnItNameNoConcreteTransport() {
    noClasses().that().resideInAnyPackage("dev.syft.core..", "dev.syft.datasets..", "dev.syft.jobs..",
            "dev.syft.permissions..", "dev.syft.protocol..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.syft.transport.local..", "dev.syft.transport.gdrive..",
            "dev.syft.drivefake..")
        .because("transports are plugins found with ServiceLoader by URI scheme")
        .check(classes);
  }

  @Test
  void onlyTheCliPrints() {
    noClasses().that().resideOutsideOfPackages("dev.syft.cli..", "dev.syft.drivefake..")
        .should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .because("user-facing output belongs to the CLI; libraries log through SLF4J"
            + " (drive-fake's main is a developer tool of its own)")
        .check(classes);
  }
}
