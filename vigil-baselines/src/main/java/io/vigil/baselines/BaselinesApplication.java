package io.vigil.baselines;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The baselines Vigil's throughput is measured against, on Vigil's own HTTP stack: {@code POST /hello}
 * and a naive engine on {@code POST /v1/decisions}. Run by {@code scripts/perf/compare.sh}.
 */
@SpringBootApplication
public class BaselinesApplication {
  public static void main(String[] args) {
    SpringApplication.run(BaselinesApplication.class, args);
  }
}
