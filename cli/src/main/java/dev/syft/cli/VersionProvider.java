package dev.syft.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** Prints the syft-java version and the reference protocol it speaks. */
final class VersionProvider implements CommandLine.IVersionProvider {
  static String version() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown"
    }
    return p.getProperty("version", "unknown");
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "syft-java " + version(),
      "wire-compatible with syft-client 0.1.117 (protocol 1.0.0)",
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
    };
  }
}
