package dev.syft.drivefake;

/**
 * A Drive-style error response: {@code {"error":{"code":..,"message":..,"errors":[{"reason":..}]}}}.
 * Thrown inside the fake and turned into the HTTP response by the server.
 */
final class DriveError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String reason;
  final String location;

  DriveError(int status, String reason, String message) {
    this(status, reason, message, null);
  }

  DriveError(int status, String reason, String message, String location) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.location = location;
  }

  static DriveError notFound(String id) {
    return new DriveError(404, "notFound", "File not found: " + id + ".", "fileId");
  }

  static DriveError insufficient() {
    return new DriveError(403, "insufficientFilePermissions",
        "The user does not have sufficient permissions for this file.");
  }

  static DriveError invalid(String message, String location) {
    return new DriveError(400, "invalid", message, location);
  }

  static DriveError badRequest(String message) {
    return new DriveError(400, "badRequest", message);
  }

  static DriveError unauthenticated() {
    return new DriveError(401, "authError", "Request had invalid authentication credentials. Expected OAuth 2 access token.",
        "Authorization");
  }
}
