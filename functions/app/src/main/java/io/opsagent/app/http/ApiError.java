package io.opsagent.app.http;

/**
 * An error answered as {@code {"error": message, "field": field}} with an HTTP status. Thrown by route handlers;
 * the server turns it into the response.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String field;

    public ApiError(int status, String message, String field) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public static ApiError badRequest(String field, String message) {
        return new ApiError(400, message, field);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message, null);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, message, null);
    }

    public int status() {
        return status;
    }

    /** The request field at fault (body property, query parameter or header), or null. */
    public String field() {
        return field;
    }
}
