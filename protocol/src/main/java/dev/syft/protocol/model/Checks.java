package dev.syft.protocol.model;

import java.util.Objects;

/** Argument checks shared by the model records (programming errors, not wire errors). */
final class Checks {
  private Checks() {}

  static double finite(double value, String name) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be a finite number, got " + value);
    }
    return value;
  }

  static Double finiteOrNull(Double value, String name) {
    return value == null ? null : finite(value, name);
  }

  static <T> T present(T value, String name) {
    return Objects.requireNonNull(value, name + " is required");
  }
}
