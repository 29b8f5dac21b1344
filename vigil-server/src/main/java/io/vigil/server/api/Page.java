package io.vigil.server.api;

import io.vigil.engine.Limits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one shape of every paged collection: {@code {"data": [...], "has_more": bool, "next_cursor": …}},
 * read with the query parameters {@code limit} and {@code starting_after}. A route asks its
 * repository for {@link #fetchSize} rows after the cursor: the one row past the page tells whether
 * another page exists, without counting.
 */
public final class Page {
  /** Rows per page when the request names no {@code limit}. */
  public static final int LIMIT_DEFAULT = 100;

  private Page() {}

  /** The page size a {@code limit} parameter asks for: the default when absent, else 1 to the maximum. */
  public static int limit(Integer limit) {
    if (limit == null) return LIMIT_DEFAULT;
    if (limit < 1 || limit > Limits.QUERY_PAGE_SIZE_MAX) {
      throw ApiException.invalid("invalid_parameter", "limit must be between 1 and " + Limits.QUERY_PAGE_SIZE_MAX, "limit");
    }
    return limit;
  }

  /** How many rows to read for a page of {@code limit}: one more, to learn whether there is a next page. */
  public static int fetchSize(int limit) {
    return limit + 1;
  }

  /** The rows of {@code fetched} that a page of {@code limit} shows: the first limit of them. */
  public static <T> List<T> shown(List<T> fetched, int limit) {
    return fetched.subList(0, Math.min(fetched.size(), limit));
  }

  /**
   * The page of {@code fetched} (read with {@link #fetchSize}): at most {@code limit} rows rendered,
   * and the cursor of the last one shown when more follow.
   */
  public static <T> Map<String, Object> of(List<T> fetched, int limit, Function<T, ?> render, Function<T, ?> cursor) {
    boolean hasMore = fetched.size() > limit;
    List<T> rows = shown(fetched, limit);
    List<Object> data = new ArrayList<>(rows.size());
    for (T row : rows) data.add(render.apply(row));
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("data", data);
    page.put("has_more", hasMore);
    page.put("next_cursor", hasMore ? cursor.apply(rows.get(rows.size() - 1)) : null);
    return page;
  }
}
