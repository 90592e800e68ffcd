package dev.syft.datasets;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Datasets#delete} removed.
 *
 * @param name the dataset
 * @param localFolders local folders removed (mock and private)
 * @param remoteFolders transport collection folders removed
 * @param warnings collection folders that could not be removed (retried on every sync round)
 */
public record DeleteResult(String name, List<Path> localFolders, List<String> remoteFolders, List<String> warnings) {
  public DeleteResult {
    localFolders = List.copyOf(localFolders);
    remoteFolders = List.copyOf(remoteFolders);
    warnings = List.copyOf(warnings);
  }
}
