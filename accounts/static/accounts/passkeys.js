// The security page, once a passkey is added: show it in the list (a file of its own: the
// Content-Security-Policy allows no inline script).
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
