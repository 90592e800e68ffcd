/**
 * The one-import entry point for programs and JShell: {@link dev.syft.Syft}. Types here are non-null
 * unless marked {@link org.jspecify.annotations.Nullable} (checked by NullAway at compile time).
 */
@NullMarked
package dev.syft;

import org.jspecify.annotations.NullMarked;
