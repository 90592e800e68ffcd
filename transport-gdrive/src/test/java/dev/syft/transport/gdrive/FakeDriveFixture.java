package dev.syft.transport.gdrive;

import dev.syft.drivefake.FakeDriveServer;
import dev.syft.transport.Storage;
import dev.syft.transport.conformance.StorageFixture;
import java.io.IOException;
import java.util.function.UnaryOperator;

/** A fresh fake Drive per test; each user's storage is the real Drive client over HTTP. */
final class FakeDriveFixture implements StorageFixture {
  final FakeDriveServer server;
  private final UnaryOperator<GDriveConfig> tune;
  private final long largeFileBytes;

  FakeDriveFixture(long largeFileBytes, UnaryOperator<GDriveConfig> tune) throws IOException {
    this.server = FakeDriveServer.start();
    this.tune = tune;
    this.largeFileBytes = largeFileBytes;
  }

  FakeDriveFixture() throws IOException {
    this(24L << 20, c -> c);
  }

  @Override
  public Storage storage(String email) throws IOException {
    return GDriveStorage.open(tune.apply(GDriveConfig.forFake(server.rootUrl(), email)));
  }

  @Override
  public long largeFileBytes() {
    return largeFileBytes;
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "fake Drive at " + server.rootUrl();
  }
}
