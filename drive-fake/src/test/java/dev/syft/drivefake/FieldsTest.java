package dev.syft.drivefake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FieldsTest {
  static JsonNode json(String s) {
    return DriveStore.JSON.readTree(s);
  }

  @Test
  void selectsNestedMembersInArraysAndSlashPaths() {
    JsonNode in = json("{\"nextPageToken\":\"t\",\"kind\":\"k\",\"files\":[{\"id\":\"1\",\"name\":\"a\",\"size\":\"3\","
        + "\"owners\":[{\"emailAddress\":\"x@y\",\"me\":true}]}]}");
    assertThat(Fields.parse("nextPageToken,files(id,owners(emailAddress))").apply(in).toString())
        .isEqualTo("{\"nextPageToken\":\"t\",\"files\":[{\"id\":\"1\",\"owners\":[{\"emailAddress\":\"x@y\"}]}]}");
    assertThat(Fields.parse("files/name").apply(in).toString()).isEqualTo("{\"files\":[{\"name\":\"a\"}]}");
    assertThat(Fields.parse("*").apply(in)).isEqualTo(in);
    assertThat(Fields.parse("files(*)").apply(in).get("files")).isEqualTo(in.get("files"));
    assertThat(Fields.parse("user(emailAddress)").apply(json("{\"user\":{\"emailAddress\":\"a\",\"me\":true}}"))
        .toString()).isEqualTo("{\"user\":{\"emailAddress\":\"a\"}}");
  }
}
