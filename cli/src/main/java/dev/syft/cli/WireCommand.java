package dev.syft.cli;

import dev.syft.protocol.LimitExceededException;
import dev.syft.protocol.archive.ArchiveCodec;
import dev.syft.protocol.model.PayloadKind;
import dev.syft.protocol.model.WireJson;
import dev.syft.protocol.model.WirePayload;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code syft wire}: look inside message archives and build them, for debugging and interop with
 * the Python reference. Decoding applies the same hostile-input checks as sync does.
 */
@Command(name = "wire", mixinStandardHelpOptions = true,
    description = "Decode and encode message archives (msgv2_*, syfteventsmessagev3_*, checkpoints, rolling state).",
    subcommands = {WireCommand.Decode.class, WireCommand.Encode.class})
final class WireCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: decode or encode");
  }

  /** Accepts {@code proposal|events|checkpoint|incremental|rolling} (and the long wire names). */
  static final class KindConverter implements CommandLine.ITypeConverter<PayloadKind> {
    @Override
    public PayloadKind convert(String value) {
      return PayloadKind.fromName(value).orElseThrow(() -> new CommandLine.TypeConversionException(
          "unknown kind '" + value + "' (expected proposal, events, checkpoint, incremental or rolling)"));
    }
  }

  @Command(name = "decode", mixinStandardHelpOptions = true,
      description = {
        "Print the JSON member of an archive with the reference's fields, values and key order.",
        "The kind comes from the reference file name, else from the JSON keys."})
  static final class Decode implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The .tar.gz archive.")
    Path file;

    @Option(names = "--json", description = "Compact single-line JSON instead of the indented form.")
    boolean compact;

    @Option(names = "--kind", paramLabel = "KIND", converter = KindConverter.class,
        description = "Payload kind, when the file name does not tell: proposal, events, checkpoint, incremental, rolling.")
    PayloadKind kind;

    @Override
    public Integer call() throws IOException {
      ArchiveCodec codec = new ArchiveCodec();
      byte[] archive;
      try (InputStream in = Files.newInputStream(file)) {
        archive = codec.readBounded(in);
      }
      PayloadKind k = kind;
      if (k == null && file.getFileName() != null) {
        k = PayloadKind.fromFileName(file.getFileName().toString()).orElse(null);
      }
      WirePayload payload = k == null ? codec.decode(archive) : codec.decode(archive, k);
      PrintWriter out = spec.commandLine().getOut();
      out.println(new String(WireJson.write(payload, compact ? WireJson.Layout.COMPACT : WireJson.Layout.PRETTY),
          StandardCharsets.UTF_8));
      out.flush();
      return Main.EXIT_OK;
    }
  }

  @Command(name = "encode", mixinStandardHelpOptions = true,
      description = {
        "Build an archive the reference can read from JSON in the member format.",
        "If OUT is a directory the archive gets the reference's file name inside it."})
  static final class Encode implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--kind", required = true, paramLabel = "KIND", converter = KindConverter.class,
        description = "proposal, events, checkpoint, incremental or rolling.")
    PayloadKind kind;

    @Parameters(index = "0", paramLabel = "IN.json", description = "The payload JSON.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Archive file to write, or a directory.")
    Path output;

    @Override
    public Integer call() throws IOException {
      ArchiveCodec codec = new ArchiveCodec();
      long size = Files.size(input);
      if (size > codec.limits().maxUncompressedBytes()) {
        throw new LimitExceededException("input is " + size + " bytes, above the limit of "
            + codec.limits().maxUncompressedBytes() + " bytes");
      }
      WirePayload payload = new WireJson().read(kind, Files.readAllBytes(input));
      byte[] archive = codec.encode(payload);
      Path target = Files.isDirectory(output) ? output.resolve(payload.fileName()) : output;
      Path parent = target.toAbsolutePath().getParent();
      Path temp = Files.createTempFile(parent, ".syft-wire-", ".tmp");
      try {
        Files.write(temp, archive);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("wrote " + target + " (" + archive.length + " bytes); reference file name: " + payload.fileName());
      out.flush();
      return Main.EXIT_OK;
    }
  }
}
