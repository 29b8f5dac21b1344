package io.vigil.server.api;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/** The checks every API route shares, ahead of its handler. */
@Configuration
public class ApiWebConfiguration implements WebMvcConfigurer {
  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new AcceptCheck()).addPathPatterns("/v1/**");
    registry.addInterceptor(new QueryParameterCheck()).addPathPatterns("/v1/**");
    registry.addInterceptor(new CardNumberCheck()).addPathPatterns("/v1/**");
  }

  @Bean
  FilterRegistrationBean<ActuatorPaths> actuatorPaths() {
    FilterRegistrationBean<ActuatorPaths> registration = new FilterRegistrationBean<>(new ActuatorPaths());
    registration.addUrlPatterns("/actuator", "/actuator/*");
    return registration;
  }

  @Bean
  static HandlerCompletion handlerCompletion(RequestMappingHandlerAdapter requestMappingHandlerAdapter) {
    return new HandlerCompletion(requestMappingHandlerAdapter);
  }
}
