use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "page_stat")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub page_id: Uuid,
    pub unit_id: Uuid,
    pub day: Date,
    pub period_start: Date,
    pub followers: Option<i64>,
    pub followers_source: Option<String>,
    pub new_follows: Option<i64>,
    pub new_follows_source: Option<String>,
    pub views: Option<i64>,
    pub views_source: Option<String>,
    pub engagements: Option<i64>,
    pub engagements_source: Option<String>,
    pub posts: Option<i64>,
    pub posts_source: Option<String>,
    pub updated_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
