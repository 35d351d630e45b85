use novatalks_model::{SignInRequest, SignInResponse};

use super::{ApiClient, ApiError};

/// `POST /auth/sign_in`. Wrong credentials come back as `ApiError::Http` with status 401
/// and the server's message ("Invalid login credentials").
pub async fn sign_in(
    client: &ApiClient,
    request: &SignInRequest,
) -> Result<SignInResponse, ApiError> {
    client.post("/auth/sign_in", request).await
}

/// `DELETE /auth/sign_out`: the server revokes the session's token. Its answer does not
/// matter to the caller, which forgets the session either way.
pub async fn sign_out(client: &ApiClient) -> Result<(), ApiError> {
    client.delete("/auth/sign_out").await
}
