//! Where one-time codes go. Real deployments plug in an SMS provider.

pub trait SmsGateway: Send + Sync {
    fn send_code(&self, phone: &str, code: &str);
}

/// Prints `OTP <phone> <code>` on stdout (demo and tests).
pub struct LogGateway;

impl SmsGateway for LogGateway {
    fn send_code(&self, phone: &str, code: &str) {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "OTP {phone} {code}");
        let _ = out.flush();
    }
}

/// Keeps the last code per phone in memory (in-process tests).
#[derive(Default)]
pub struct MemoryGateway {
    pub sent: std::sync::Mutex<std::collections::HashMap<String, String>>,
}

impl SmsGateway for MemoryGateway {
    fn send_code(&self, phone: &str, code: &str) {
        if let Ok(mut m) = self.sent.lock() {
            m.insert(phone.to_string(), code.to_string());
        }
    }
}
