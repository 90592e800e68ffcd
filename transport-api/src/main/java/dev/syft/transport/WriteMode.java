package dev.syft.transport;

/** How {@link Storage#write} treats an existing file of the same name. */
public enum WriteMode {
  /** Add a new file; messages are written this way (their names are unique). */
  CREATE,
  /** Replace the content of the existing file of that name, or create it. */
  REPLACE
}
