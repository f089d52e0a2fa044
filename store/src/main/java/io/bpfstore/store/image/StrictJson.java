package io.bpfstore.store.image;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the JSON documents of an image (manifests, configs, labels, indexes) the one way client and registry
 * agree on: UTF-8 only (RFC 8259 §8.1; UTF-16/32, overlong forms and stray bytes refused rather than guessed
 * at), one JSON object with nothing after it, no key given twice. A document two readers could read
 * differently is a document a hostile publisher could sign one way and serve another.
 */
public final class StrictJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {
    }

    /** The JSON object in {@code bytes}; {@link InvalidImageException} naming {@code where} and what is wrong. */
    public static JsonNode object(byte[] bytes, String where) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidImageException(where, "not UTF-8 JSON (" + e.getMessage() + ")");
        }
        if (text.startsWith("\uFEFF")) {
            throw new InvalidImageException(where, "not JSON: starts with a byte-order mark");
        }
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject()) {
                throw new InvalidImageException(where, "not a JSON object");
            }
            return root;
        } catch (JacksonException e) {
            throw new InvalidImageException(where, "not valid JSON: " + e.getOriginalMessage());
        }
    }
}
