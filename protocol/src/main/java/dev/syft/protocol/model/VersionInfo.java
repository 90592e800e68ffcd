package dev.syft.protocol.model;

import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.internal.JsonFields;
import dev.syft.protocol.internal.JsonIn;
import dev.syft.protocol.internal.JsonOut;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The version file {@code SYFT_version.json} every client publishes (PROTOCOL.md 6.7). Pretty JSON
 * (2-space indent, non-ASCII raw, no trailing newline) with fields in this record's order.
 * Compatibility is decided on {@link #syftClientVersion()} only; see
 * {@link dev.syft.protocol.version.VersionCompatibility}.
 *
 * @param syftClientVersion e.g. {@code 0.1.117}; peers compare its major.minor
 * @param minSupportedSyftClientVersion carried, not enforced
 * @param protocolVersion carried, not enforced
 * @param minSupportedProtocolVersion carried, not enforced
 * @param syftClientInstallSource where job environments install syft-client from, or {@code null}
 * @param updatedAt wall-clock date-time of {@code updated_at} (microsecond precision)
 * @param updatedAtOffset its UTC offset, or {@code null} for a naive time (written without a zone)
 * @param attestationToken {@code null} in practice
 */
public record VersionInfo(
    String syftClientVersion,
    String minSupportedSyftClientVersion,
    String protocolVersion,
    String minSupportedProtocolVersion,
    String syftClientInstallSource,
    LocalDateTime updatedAt,
    ZoneOffset updatedAtOffset,
    String attestationToken) {

  public static final String FILE_NAME = "SYFT_version.json";
  /** The reference client version syft-java is wire-compatible with. */
  public static final String CLIENT_VERSION = "0.1.117";
  public static final String MIN_SUPPORTED_CLIENT_VERSION = "0.1.93";
  public static final String PROTOCOL_VERSION = "1.0.0";
  public static final String MIN_SUPPORTED_PROTOCOL_VERSION = "1.0.0";

  private static final Pattern DATE_TIME = Pattern.compile(
      "(\\d{4})-(\\d{2})-(\\d{2})[Tt _](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?"
          + "([Zz]|[+-]\\d{2}(?::?\\d{2})?)?");

  public VersionInfo {
    Objects.requireNonNull(syftClientVersion, "syft_client_version");
    Objects.requireNonNull(minSupportedSyftClientVersion, "min_supported_syft_client_version");
    Objects.requireNonNull(protocolVersion, "protocol_version");
    Objects.requireNonNull(minSupportedProtocolVersion, "min_supported_protocol_version");
    updatedAt = Objects.requireNonNull(updatedAt, "updated_at").truncatedTo(ChronoUnit.MICROS);
  }

  /** This client's version file, stamped now in UTC. */
  public static VersionInfo current(String installSource, Clock clock) {
    LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    return new VersionInfo(CLIENT_VERSION, MIN_SUPPORTED_CLIENT_VERSION, PROTOCOL_VERSION,
        MIN_SUPPORTED_PROTOCOL_VERSION, installSource, now, ZoneOffset.UTC, null);
  }

  /** {@code updated_at} as an instant (a naive time is taken as UTC). */
  public Instant updatedAtInstant() {
    return updatedAt.toInstant(updatedAtOffset == null ? ZoneOffset.UTC : updatedAtOffset);
  }

  /**
   * {@code updated_at} as pydantic writes it: {@code 2024-04-05T19:34:38.123456Z}; microseconds only
   * when non-zero; {@code Z} for UTC, {@code +HH:MM} for other offsets, nothing for naive times.
   */
  public String updatedAtText() {
    StringBuilder sb = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", updatedAt.getYear(),
        updatedAt.getMonthValue(), updatedAt.getDayOfMonth(), updatedAt.getHour(), updatedAt.getMinute(),
        updatedAt.getSecond()));
    int micros = updatedAt.getNano() / 1000;
    if (micros != 0) {
      sb.append(String.format(".%06d", micros));
    }
    if (updatedAtOffset != null) {
      sb.append(updatedAtOffset.getTotalSeconds() == 0 ? "Z" : updatedAtOffset.getId());
    }
    return sb.toString();
  }

  /** The file bytes exactly as the reference writes them. */
  public byte[] toJson() {
    ObjectNode o = JsonOut.object();
    o.put("syft_client_version", syftClientVersion);
    o.put("min_supported_syft_client_version", minSupportedSyftClientVersion);
    o.put("protocol_version", protocolVersion);
    o.put("min_supported_protocol_version", minSupportedProtocolVersion);
    o.put("syft_client_install_source", syftClientInstallSource);
    o.put("updated_at", updatedAtText());
    o.put("attestation_token", attestationToken);
    return JsonOut.render(o, JsonOut.Style.PYDANTIC_INDENT2);
  }

  /** Parses a version file; a missing {@code updated_at} defaults to now (system clock). */
  public static VersionInfo parse(byte[] json) {
    return parse(json, Clock.systemUTC());
  }

  /**
   * Parses a version file like the reference: the four version strings are required, the optional
   * fields may be missing (read as {@code null}), unknown fields are ignored.
   *
   * @throws MalformedMessageException if a required field is missing or has the wrong type, or
   *     {@code updated_at} is not a date-time
   */
  public static VersionInfo parse(byte[] json, Clock clock) {
    String what = "version file";
    JsonFields f = JsonFields.root(JsonIn.parseObject(json, what), what);
    String client = f.string("syft_client_version");
    String minClient = f.string("min_supported_syft_client_version");
    String protocol = f.string("protocol_version");
    String minProtocol = f.string("min_supported_protocol_version");
    String source = f.nullableString("syft_client_install_source");
    String token = f.nullableString("attestation_token");
    LocalDateTime at;
    ZoneOffset offset;
    JsonNode raw = f.raw("updated_at");
    if (raw == null) {
      at = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
      offset = ZoneOffset.UTC;
    } else if (raw.isNumber() && Double.isFinite(raw.doubleValue())) {
      // pydantic reads numbers as Unix time (milliseconds above 2e10).
      double seconds = Math.abs(raw.doubleValue()) > 2e10 ? raw.doubleValue() / 1000 : raw.doubleValue();
      long micros = Math.round(seconds * 1e6);
      at = LocalDateTime.ofInstant(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), ZoneOffset.UTC);
      offset = ZoneOffset.UTC;
    } else {
      String text = f.string("updated_at");
      Matcher m = DATE_TIME.matcher(text);
      if (!m.matches()) {
        throw f.error("updated_at", "is not an ISO-8601 date-time: '" + text + "'");
      }
      try {
        String fraction = m.group(7) == null ? "0" : (m.group(7) + "00000000").substring(0, 9);
        at = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
            m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), Integer.parseInt(fraction));
        offset = offset(m.group(8));
      } catch (DateTimeException | NumberFormatException e) {
        throw f.error("updated_at", "is not a valid date-time: '" + text + "'");
      }
    }
    return new VersionInfo(client, minClient, protocol, minProtocol, source, at, offset, token);
  }

  private static ZoneOffset offset(String zone) {
    if (zone == null) {
      return null;
    }
    if (zone.equalsIgnoreCase("Z")) {
      return ZoneOffset.UTC;
    }
    String digits = zone.substring(1).replace(":", "");
    int hours = Integer.parseInt(digits.substring(0, 2));
    int minutes = digits.length() > 2 ? Integer.parseInt(digits.substring(2)) : 0;
    int sign = zone.charAt(0) == '-' ? -1 : 1;
    return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
  }
}
