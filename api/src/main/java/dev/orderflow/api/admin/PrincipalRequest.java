package dev.orderflow.api.admin;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** {@code POST /v1/admin/principals}. */
public record PrincipalRequest(
        @NotBlank @Size(max = 100) String name,
        @NotNull @Pattern(regexp = "channel|partner|user", message = "must be channel, partner or user") String kind,
        @NotEmpty @Size(max = 8) List<@NotBlank String> roles,
        @Size(max = 50) List<@NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+",
                message = "letters, digits, '.', '_' and '-' only") String> channels) {
}
