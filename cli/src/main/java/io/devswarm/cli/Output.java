package io.devswarm.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/** Renders API answers as aligned tables (default) or as the JSON itself. */
final class Output {
    enum Format { table, json }

    private final Format format;
    private final PrintStream out;

    Output(Format format, PrintStream out) {
        this.format = format;
        this.out = out;
    }

    boolean json() {
        return format == Format.json;
    }

    record Column(String title, Function<JsonNode, String> value) {
        static Column of(String title, String field) {
            return new Column(title, n -> text(n.path(field)));
        }
    }

    static String text(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return "-";
        return n.isValueNode() ? n.asString() : n.toString();
    }

    void table(JsonNode items, List<Column> columns) {
        if (json()) {
            out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(items));
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(columns.stream().map(Column::title).toArray(String[]::new));
        for (JsonNode item : items) rows.add(columns.stream().map(c -> c.value().apply(item)).toArray(String[]::new));
        int[] widths = new int[columns.size()];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) widths[i] = Math.max(widths[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (i < r.length - 1) sb.append(" ".repeat(widths[i] - r[i].length() + 2));
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    void object(JsonNode node, List<Column> fields) {
        if (json()) {
            out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            return;
        }
        int width = fields.stream().mapToInt(f -> f.title().length()).max().orElse(0);
        for (Column f : fields) out.println(f.title() + ":" + " ".repeat(width - f.title().length() + 1) + f.value().apply(node));
    }
}
