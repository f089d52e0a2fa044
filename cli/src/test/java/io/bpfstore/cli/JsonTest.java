package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@link Json#write} (jackson-core, token by token) prints the bytes {@link Json#print} (databind) prints. */
class JsonTest {
    @Test
    void tokenByTokenIsByteForByteWhatDatabindPrints() {
        ObjectNode tree = Json.mapper().createObjectNode();
        tree.put("name", "x\u001b[31m \"q\" \u00e9\t\n");
        tree.putNull("signed_by");
        tree.put("priority", 50);
        tree.put("run_count", 12_345_678_901L);
        tree.put("runs_per_second", 1234.5678);
        tree.put("ns_per_run", 0.1);
        tree.put("forced", false);
        tree.putArray("programs").add("a").add("b");
        tree.putArray("proceed_on");
        tree.putObject("empty");
        tree.putArray("objects").addObject().put("kind", "prog").putArray("inner").addObject();

        StringWriter expected = new StringWriter();
        Json.print(new PrintWriter(expected), java.util.List.of(tree, tree));
        StringWriter actual = new StringWriter();
        Json.write(new PrintWriter(actual), g -> {
            g.writeStartArray();
            for (int i = 0; i < 2; i++) {
                g.writeStartObject();
                g.writeStringField("name", "x\u001b[31m \"q\" \u00e9\t\n");
                g.writeStringField("signed_by", null);
                g.writeNumberField("priority", 50);
                g.writeNumberField("run_count", 12_345_678_901L);
                g.writeNumberField("runs_per_second", 1234.5678);
                g.writeNumberField("ns_per_run", 0.1);
                g.writeBooleanField("forced", false);
                ListCommand.strings(g, "programs", java.util.List.of("a", "b"));
                ListCommand.strings(g, "proceed_on", java.util.List.of());
                g.writeObjectFieldStart("empty");
                g.writeEndObject();
                g.writeArrayFieldStart("objects");
                g.writeStartObject();
                g.writeStringField("kind", "prog");
                g.writeArrayFieldStart("inner");
                g.writeStartObject();
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        });
        assertEquals(expected.toString(), actual.toString());
    }
}
