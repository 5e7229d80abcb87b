//! The id newtypes as query values: `column.eq(&campaign_id)` binds the id's
//! text, on both backends. Reading them back goes through `TryFrom<String>`
//! (`#[diesel(deserialize_as = String)]` on the record's field).
use diesel::expression::AsExpression;
use diesel::sql_types::{Nullable, Text};

use crate::domain::ids::{CampaignId, InvitationId, UnitId};
use crate::domain::unit::UnitCode;

macro_rules! text_value {
    ($($name:ty),+) => {$(
        impl<'a> AsExpression<Text> for &'a $name {
            type Expression = <&'a str as AsExpression<Text>>::Expression;

            fn as_expression(self) -> Self::Expression {
                <&'a str as AsExpression<Text>>::as_expression(self)
            }
        }

        impl<'a> AsExpression<Nullable<Text>> for &'a $name {
            type Expression = <&'a str as AsExpression<Nullable<Text>>>::Expression;

            fn as_expression(self) -> Self::Expression {
                <&'a str as AsExpression<Nullable<Text>>>::as_expression(self)
            }
        }
    )+};
}

text_value!(CampaignId, UnitId, InvitationId, UnitCode);
