/**
 * SYC2 end-to-end encryption and signatures: identities, key bundles, envelopes. Types here are
 * non-null unless marked {@link org.jspecify.annotations.Nullable} (checked by NullAway at compile time).
 */
@NullMarked
package dev.syft.crypto;

import org.jspecify.annotations.NullMarked;
