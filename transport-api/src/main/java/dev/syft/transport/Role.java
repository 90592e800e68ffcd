package dev.syft.transport;

/** Access granted on a shared folder. A writer can also read. */
public enum Role {
  READER,
  WRITER
}
