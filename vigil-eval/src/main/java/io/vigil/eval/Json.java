package io.vigil.eval;

import java.util.List;
import java.util.Map;

/** A small JSON writer for the report: maps (insertion order kept), lists, strings, numbers, booleans, null. */
final class Json {
  private Json() {}

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, 0);
    return out.append('\n').toString();
  }

  private static void write(Object v, StringBuilder out, int indent) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      string(s, out);
    } else if (v instanceof Double d) {
      out.append(d.isNaN() || d.isInfinite() ? "null" : roundTrip(d));
    } else if (v instanceof Float f) {
      write((double) f, out, indent);
    } else if (v instanceof Number || v instanceof Boolean) {
      out.append(v);
    } else if (v instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(first ? "\n" : ",\n").append("  ".repeat(indent + 1));
        first = false;
        string(String.valueOf(e.getKey()), out);
        out.append(": ");
        write(e.getValue(), out, indent + 1);
      }
      if (!first) out.append('\n').append("  ".repeat(indent));
      out.append('}');
    } else if (v instanceof List<?> list) {
      boolean scalars = list.stream().allMatch(x -> !(x instanceof Map) && !(x instanceof List));
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (scalars) out.append(i == 0 ? "" : ", ");
        else out.append(i == 0 ? "\n" : ",\n").append("  ".repeat(indent + 1));
        write(list.get(i), out, indent + 1);
      }
      if (!scalars && !list.isEmpty()) out.append('\n').append("  ".repeat(indent));
      out.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass() + " as JSON");
    }
  }

  private static String roundTrip(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
    return Double.toString(Math.round(d * 1e6) / 1e6);
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    out.append('"');
  }
}
