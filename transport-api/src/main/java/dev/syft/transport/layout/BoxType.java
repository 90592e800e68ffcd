package dev.syft.transport.layout;

import org.jspecify.annotations.Nullable;

/** The two kinds of peer-to-peer folder: proposals travel through inboxes, events through outboxes. */
public enum BoxType {
  /** {@code ...#inbox#<peer>}: the DS uploads proposals, the DO moves them out. */
  INBOX("inbox"),
  /** {@code ...#outbox#<peer>}: the DO uploads events, the DS reads them. */
  OUTBOX("outbox");

  private final String wire;

  BoxType(String wire) {
    this.wire = wire;
  }

  /** The spelling inside folder names. */
  public String wire() {
    return wire;
  }

  /** The type spelled {@code wire}, or null when it is neither {@code inbox} nor {@code outbox}. */
  static @Nullable BoxType fromWire(String wire) {
    for (BoxType t : values()) {
      if (t.wire.equals(wire)) {
        return t;
      }
    }
    return null;
  }
}
