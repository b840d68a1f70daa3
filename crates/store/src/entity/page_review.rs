use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "page_review")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub page_id: Uuid,
    pub unit_id: Uuid,
    pub reviewer_unit_id: Uuid,
    pub period: String,
    pub period_start: Date,
    pub period_end: Date,
    pub rating: String,
    pub comments: Option<String>,
    pub recommendations: Option<String>,
    pub figures: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
