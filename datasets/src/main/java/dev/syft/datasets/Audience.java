package dev.syft.datasets;

import dev.syft.core.Home;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Who may see a dataset's mock data: nobody but the owner, listed users, or every approved peer
 * ("any": also peers approved later).
 *
 * @param any true for "every approved peer, now and later"
 * @param users listed users (normalised, lower case, without duplicates); empty for {@code any}
 */
public record Audience(boolean any, List<String> users) {
  public Audience {
    users = List.copyOf(users);
    if (any && !users.isEmpty()) {
      throw new IllegalArgumentException("an 'any' audience lists no users");
    }
  }

  /** Only the owner (the reference's {@code users=[]}): the dataset is invisible to everybody else. */
  public static Audience nobody() {
    return new Audience(false, List.of());
  }

  /** Every currently approved peer and each peer approved later (the reference's {@code "any"}). */
  public static Audience anyPeer() {
    return new Audience(true, List.of());
  }

  /**
   * The given users. The literal {@code any} (alone) means {@link #anyPeer()}, as in the reference.
   *
   * @throws dev.syft.protocol.SyftException when an entry is not an e-mail address
   */
  public static Audience users(Collection<String> emails) {
    List<String> raw = new ArrayList<>();
    for (String e : emails) {
      if (e != null && !e.isBlank()) {
        raw.add(e.strip());
      }
    }
    if (raw.size() == 1 && raw.get(0).equalsIgnoreCase("any")) {
      return anyPeer();
    }
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String e : raw) {
      out.add(Home.normalizeEmail(e));
    }
    return new Audience(false, List.copyOf(out));
  }

  /** {@link #users(Collection)} for a few addresses. */
  public static Audience users(String... emails) {
    return users(List.of(emails));
  }

  /** True when nobody but the owner is included. */
  public boolean isNobody() {
    return !any && users.isEmpty();
  }
}
