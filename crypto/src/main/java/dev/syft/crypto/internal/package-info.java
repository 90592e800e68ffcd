/** Primitives behind the crypto API (not for use outside the module); non-null unless marked. */
@NullMarked
package dev.syft.crypto.internal;

import org.jspecify.annotations.NullMarked;
