package io.bpfstore.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The one JSON writer of the CLI: pretty-printed, stable key order as built. A value goes through Jackson's
 * databind ({@link #print}); a document written token by token ({@link #write}) goes through the same generator and
 * pretty printer with jackson-core alone, so the commands the agent serves print without loading databind
 * ({@link AgentShortcut}). Both give the same bytes for the same document.
 */
final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /** Databind, built on first use only. */
    private static final class Databind {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** The shared mapper (thread-safe once configured). */
    static ObjectMapper mapper() {
        return Databind.MAPPER;
    }

    /** Writes {@code value} as JSON followed by a newline. */
    static void print(PrintWriter out, Object value) {
        try {
            out.println(Databind.MAPPER.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
        out.flush();
    }

    /** A JSON document written token by token. */
    interface Document {
        /** Writes the whole document (one value) to {@code g}. */
        void write(JsonGenerator g) throws IOException;
    }

    /** Writes {@code document}, pretty-printed as {@link #print} does, followed by a newline. */
    static void write(PrintWriter out, Document document) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            g.useDefaultPrettyPrinter();
            document.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // into memory: does not happen
        }
        out.println(text);
        out.flush();
    }
}
