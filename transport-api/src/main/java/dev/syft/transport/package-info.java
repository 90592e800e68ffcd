/** Non-null unless marked {@link org.jspecify.annotations.Nullable} (checked by NullAway at compile time). */
@NullMarked
package dev.syft.transport;

import org.jspecify.annotations.NullMarked;
