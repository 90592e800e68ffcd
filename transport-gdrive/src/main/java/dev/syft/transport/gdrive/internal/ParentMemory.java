package dev.syft.transport.gdrive.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recently seen item id -> parent id. Drive reports a removed or unshared file without its parents;
 * the change feed then names the folder it was last seen in, so that folder is listed again.
 */
public final class ParentMemory {
  private final Map<String, String> map;

  public ParentMemory(int capacity) {
    this.map = new LinkedHashMap<>(256, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
        return size() > capacity;
      }
    };
  }

  public synchronized void remember(String id, String parentId) {
    if (id != null && parentId != null) {
      map.put(id, parentId);
    }
  }

  public synchronized String parentOf(String id) {
    return map.get(id);
  }
}
