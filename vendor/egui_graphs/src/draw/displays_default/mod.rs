mod edge;
mod edge_shape;
mod node;

pub use edge::DefaultEdgeShape;
pub use edge_shape::{EdgeShape, EdgeShapeBuilder, EdgeShapeProps, TipProps};
pub use node::DefaultNodeShape;
