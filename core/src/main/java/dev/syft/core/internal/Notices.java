package dev.syft.core.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rejection and revocation notices from a data owner to one peer. The reference tells a proposer
 * nothing; we write an ordinary file, {@code app_data/syft_java/notices/<peer>/notices.json}, readable
 * only by that peer, so it reaches them through the normal event channel. A Python peer simply sees a
 * JSON file; a syft-java peer lists the rejections in {@code status} and moves revoked files aside.
 */
final class Notices {
  static final String DIR = "app_data/syft_java/notices";
  static final String FILE = "notices.json";
  /** Older entries are dropped so the file stays small. */
  private static final int MAX_ENTRIES = 500;
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final LocalTree tree;
  private final String owner;

  Notices(LocalTree tree, String owner) {
    this.tree = tree;
    this.owner = owner;
  }

  static String pathFor(String peer) {
    return DIR + "/" + peer + "/" + FILE;
  }

  static String folderFor(String peer) {
    return DIR + "/" + peer;
  }

  static boolean isNoticeFile(String path, String me) {
    return path.equals(pathFor(me));
  }

  /** Appends a rejection notice; returns the file's new content. */
  byte[] rejected(String peer, String messageName, String reason, double at) {
    ObjectNode n = JSON.createObjectNode();
    n.put("kind", "rejected");
    n.put("message", messageName);
    n.put("reason", reason);
    n.put("at", at);
    return append(peer, List.of(n));
  }

  /** Appends revocation notices; returns the file's new content. */
  byte[] revoked(String peer, List<String> paths, double at) {
    List<ObjectNode> entries = new ArrayList<>();
    for (String p : paths) {
      ObjectNode n = JSON.createObjectNode();
      n.put("kind", "revoked");
      n.put("path", p);
      n.put("at", at);
      entries.add(n);
    }
    return append(peer, entries);
  }

  private byte[] append(String peer, List<ObjectNode> entries) {
    String path = pathFor(peer);
    ObjectNode root;
    try {
      JsonNode old = JSON.readTree(tree.read(path));
      root = old != null && old.isObject() ? (ObjectNode) old : JSON.createObjectNode();
    } catch (IOException | RuntimeException e) {
      root = JSON.createObjectNode();
    }
    root.put("datasite", owner);
    root.put("peer", peer);
    ArrayNode list = root.has("notices") && root.get("notices").isArray()
        ? (ArrayNode) root.get("notices") : root.putArray("notices");
    entries.forEach(list::add);
    while (list.size() > MAX_ENTRIES) {
      list.remove(0);
    }
    try {
      byte[] content = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
      tree.write(path, content);
      return content;
    } catch (IOException e) {
      throw new dev.syft.protocol.SyftException("notice-failed", "cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  /** One parsed notice. */
  record Notice(String kind, String message, String path, String reason, double at) {}

  static List<Notice> parse(byte[] content) {
    List<Notice> out = new ArrayList<>();
    try {
      JsonNode root = JSON.readTree(content);
      for (JsonNode n : root.path("notices")) {
        out.add(new Notice(n.path("kind").asString(""), n.path("message").asString(null), n.path("path").asString(null),
            n.path("reason").asString(null), n.path("at").asDouble(0)));
      }
    } catch (RuntimeException e) {
      // a malformed notice file is ignored: it is advisory
    }
    return out;
  }
}
