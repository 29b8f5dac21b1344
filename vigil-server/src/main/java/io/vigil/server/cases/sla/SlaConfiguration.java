package io.vigil.server.cases.sla;

import io.vigil.server.cases.CaseRepository;
import io.vigil.server.cases.CaseService;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the SLA sweep, started when {@code vigil.cases.sla.enabled}. */
@Configuration
@EnableConfigurationProperties(SlaProperties.class)
public class SlaConfiguration {
  @Bean(destroyMethod = "close")
  public SlaSweep slaSweep(CaseRepository cases, CaseService service, SlaProperties p) {
    SlaSweep sweep = new SlaSweep(cases, service, p.rowsPerPass());
    return p.enabled() ? sweep.start(p.sweepIntervalSeconds()) : sweep;
  }
}
