package io.devswarm.core.controller;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Ids: short random ids with a type prefix, and whether a string has their shape")
class IdsTest {

    @Test
    @DisplayName("an id made with a prefix has that prefix's shape, and no other's")
    void madeIdsHaveTheirShape() {
        String id = Ids.next(Ids.INSTANCE);
        assertThat(id).matches("i-[a-z0-9]{12}");
        assertThat(Ids.isShaped(Ids.INSTANCE, id)).isTrue();
        assertThat(Ids.isShaped("op", id)).isFalse();
        assertThat(Ids.isShaped("op", Ids.next("op"))).isTrue();
    }

    @Test
    @DisplayName("a string of another length, prefix or alphabet is not shaped like an id")
    void otherStringsAreNot() {
        assertThat(Ids.isShaped(Ids.INSTANCE, "web-1")).isFalse();
        assertThat(Ids.isShaped(Ids.INSTANCE, "i-abc")).isFalse();
        assertThat(Ids.isShaped(Ids.INSTANCE, "i-abcdefghijklm")).isFalse();
        assertThat(Ids.isShaped(Ids.INSTANCE, "i-ABCDEFGHIJKL")).isFalse();
        assertThat(Ids.isShaped(Ids.INSTANCE, "ixabcdefghijkl")).isFalse();
        assertThat(Ids.isShaped(Ids.INSTANCE, "x-abcdefghijkl")).isFalse();
        assertThat(Ids.isShaped(Ids.INSTANCE, "i-abcdefghijkl")).isTrue();
    }
}
