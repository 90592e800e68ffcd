package dev.syft.transport.blob;

import java.util.Map;
import java.util.TreeMap;

/**
 * The sidecar {@code .syft-meta.json} of one folder: grants and properties of the folder itself, and
 * per child the facts a plain store cannot hold (an owner other than the drive's, grants and
 * properties of a file). Mutable; read and written under the folder's lock.
 */
final class BlobMeta {
  /** user -> READER | WRITER, on this folder (and so on everything below it). */
  public Map<String, String> shares = new TreeMap<>();
  /** app properties of this folder. */
  public Map<String, String> props = new TreeMap<>();
  /** child name -> its extra facts. */
  public Map<String, Item> items = new TreeMap<>();

  /** Extra facts about one child. */
  static final class Item {
    /** owner when it is not the owner of the drive the child lives in; else null. */
    public String owner;
    public Map<String, String> shares = new TreeMap<>();
    public Map<String, String> props = new TreeMap<>();

    boolean isEmpty() {
      return owner == null && shares.isEmpty() && props.isEmpty();
    }
  }

  Item item(String name) {
    return items.get(name);
  }

  Item itemForUpdate(String name) {
    return items.computeIfAbsent(name, k -> new Item());
  }

  void prune(String name) {
    Item i = items.get(name);
    if (i != null && i.isEmpty()) {
      items.remove(name);
    }
  }

  boolean isEmpty() {
    return shares.isEmpty() && props.isEmpty() && items.isEmpty();
  }

  BlobMeta normalized() {
    if (shares == null) {
      shares = new TreeMap<>();
    }
    if (props == null) {
      props = new TreeMap<>();
    }
    if (items == null) {
      items = new TreeMap<>();
    }
    items.values().removeIf(v -> v == null);
    for (Item v : items.values()) {
      if (v.shares == null) {
        v.shares = new TreeMap<>();
      }
      if (v.props == null) {
        v.props = new TreeMap<>();
      }
    }
    return this;
  }
}
