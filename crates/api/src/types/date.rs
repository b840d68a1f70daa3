//! The `Date` scalar: a calendar day, written `YYYY-MM-DD` (ISO 8601), without a time zone;
//! days are Việt Nam's (`Asia/Ho_Chi_Minh`).

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// A calendar day, e.g. "2026-11-27".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// A calendar day in Việt Nam, written `YYYY-MM-DD`, e.g. "2026-11-27".
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text)
                if text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-' =>
            {
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map(Date)
                    .map_err(|_| {
                        InputValueError::custom("Ngày không hợp lệ: hãy viết dạng YYYY-MM-DD.")
                    })
            }
            _ => Err(InputValueError::custom(
                "Ngày không hợp lệ: hãy viết dạng YYYY-MM-DD.",
            )),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}
