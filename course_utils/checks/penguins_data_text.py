"""What checks.penguins_data says: the mistakes it names in lesson 05's data exercises."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "length": {
            "es": "«len» da {got}, pero la tabla tiene {n} filas: un ejemplo por pingüino.",
            "en": "len gives {got}, but the table has {n} rows: one example per penguin.",
        },
        "not_pair": {
            "es": "cada ejemplo debe ser un par (características, etiqueta), como los de "
            "«TensorDataset(X, y)».",
            "en": "each example must be a pair (features, label), like those of "
            "TensorDataset(X, y).",
        },
        "features_type": {
            "es": "las características son «{kind}»: deben ser un tensor de PyTorch "
            "(«torch.tensor(..., dtype=torch.float32)»).",
            "en": "the features are {kind}: they must be a PyTorch tensor "
            "(torch.tensor(..., dtype=torch.float32)).",
        },
        "features_float64": {
            "es": "las características son float64 (lo que da pandas), pero los pesos del "
            "modelo son float32 y «nn.Linear» fallaría: crea el tensor con "
            "«dtype=torch.float32».",
            "en": "the features are float64 (what pandas gives), but the model's weights are "
            "float32 and nn.Linear would fail: make the tensor with dtype=torch.float32.",
        },
        "features_dtype": {
            "es": "las características son {dtype}; deben ser float32, como los pesos.",
            "en": "the features are {dtype}; they must be float32, like the weights.",
        },
        "features_shape": {
            "es": "cada ejemplo tiene características de forma {shape}; deben ser las cuatro "
            "columnas de «features» (forma (4,)), ni más ni menos.",
            "en": "each example's features have shape {shape}; they must be the four columns "
            "of features (shape (4,)), no more, no fewer.",
        },
        "columns": {
            "es": "las medidas están en el orden de las columnas de la tabla: tómalas en el "
            "orden de «features» («frame[features]»).",
            "en": "the measurements come in the table's column order: take them in the order "
            "of features (frame[features]).",
        },
        "loc": {
            "es": "el ejemplo i es la fila cuya etiqueta de índice es i, no la fila i: tras "
            "separar los datos el índice de la tabla va desordenado. Usa la posición "
            "(«.iloc» o, mejor, tensores creados una vez en la función).",
            "en": "example i is the row whose index label is i, not the i-th row: after a "
            "split the table's index is shuffled. Use positions (.iloc or, better, "
            "tensors made once in the function).",
        },
        "wrong_features": {
            "es": "las características del ejemplo no son las medidas de su fila.",
            "en": "the example's features are not the measurements of its row.",
        },
        "label_str": {
            "es": "la etiqueta es el nombre de la especie; la pérdida necesita su número: la "
            "posición del nombre en «class_names».",
            "en": "the label is the species' name; the loss needs its number: the name's "
            "position in class_names.",
        },
        "label_float": {
            "es": "la etiqueta es un número decimal; «CrossEntropyLoss» espera índices de "
            "clase enteros (int64, «dtype=torch.long»).",
            "en": "the label is a float; CrossEntropyLoss expects integer class indices "
            "(int64, dtype=torch.long).",
        },
        "label_shape": {
            "es": "cada etiqueta tiene forma {shape}; debe ser un solo número (forma ()), "
            "para que un lote de etiquetas tenga forma (n,).",
            "en": "each label has shape {shape}; it must be a single number (shape ()), so "
            "that a batch of labels has shape (n,).",
        },
        "label_dtype": {
            "es": "las etiquetas son {dtype}; «CrossEntropyLoss» las quiere int64 "
            "(«dtype=torch.long»).",
            "en": "the labels are {dtype}; CrossEntropyLoss wants them int64 (dtype=torch.long).",
        },
        "label_type": {
            "es": "la etiqueta es «{kind}»: debe ser un entero (un tensor int64).",
            "en": "the label is {kind}: it must be an integer (an int64 tensor).",
        },
        "class_order": {
            "es": "los números de clase no siguen «class_names»: la etiqueta de una especie "
            "es su posición en esa lista («class_names.index(nombre)»), no su orden "
            "alfabético ni el de aparición en la tabla.",
            "en": "the class numbers do not follow class_names: a species' label is its "
            "position in that list (class_names.index(name)), not its alphabetical order "
            "nor the order it appears in the table.",
        },
        "wrong_labels": {
            "es": "las etiquetas no son la especie de cada fila convertida en su posición en "
            "«class_names».",
            "en": "the labels are not each row's species turned into its position in class_names.",
        },
        "not_tensor_dataset": {
            "es": "devuelve «{kind}»; devuelve «TensorDataset(X, y)»: las celdas siguientes "
            "leen sus tensores en «.tensors».",
            "en": "it returns {kind}; return TensorDataset(X, y): the next cells read its "
            "tensors in .tensors.",
        },
        "not_tensor": {
            "es": "devuelve «{kind}»; debe devolver un tensor de PyTorch.",
            "en": "it returns {kind}; it must return a PyTorch tensor.",
        },
        "shape": {
            "es": "devuelve forma {got}; debe tener la del «X» que recibe, {expected}.",
            "en": "it returns shape {got}; it must have the shape of the X it gets, {expected}.",
        },
        "float64": {
            "es": "devuelve float64; vuelve a float32 («.float()»), el tipo de los pesos.",
            "en": "it returns float64; go back to float32 (.float()), the weights' type.",
        },
        "dtype": {
            "es": "devuelve {dtype}; debe devolver float32.",
            "en": "it returns {dtype}; it must return float32.",
        },
        "own_stats": {
            "es": "estandariza cada parte con su propia media y desviación: la de prueba "
            "se ajustaría con sus propios datos. Calcula las dos solo con «X_train».",
            "en": "it standardizes each split with its own mean and deviation: the test split "
            "would be fitted on its own data. Compute both from X_train only.",
        },
        "all_data": {
            "es": "la media y la desviación salen de todos los datos juntos, así que la parte "
            "de prueba se filtra en el ajuste: calcúlalas solo con «X_train».",
            "en": "the mean and deviation come from all the data together, so the test split "
            "leaks into the fit: compute them from X_train only.",
        },
        "dims": {
            "es": "la media y la desviación deben ser una por medida (columna): calcúlalas "
            "con «dim=0».",
            "en": "there must be one mean and one deviation per measurement (column): compute "
            "them with dim=0.",
        },
        "variance": {
            "es": "divide entre la varianza; divide entre la desviación típica (su raíz).",
            "en": "it divides by the variance; divide by the standard deviation (its root).",
        },
        "no_scale": {
            "es": "resta la media pero no divide entre la desviación típica.",
            "en": "it subtracts the mean but does not divide by the standard deviation.",
        },
        "no_center": {
            "es": "divide entre la desviación típica pero no resta antes la media.",
            "en": "it divides by the standard deviation but does not subtract the mean first.",
        },
        "wrong_values": {
            "es": "los valores no son (X − media) / desviación, con la media y la desviación "
            "de cada columna de «X_train».",
            "en": "the values are not (X − mean) / deviation, with the mean and deviation of "
            "each column of X_train.",
        },
        "zero_std": {
            "es": "salen valores infinitos o NaN: una medida constante en «X_train» tiene "
            "desviación 0. Cámbiala por 1 antes de dividir (esa columna queda en 0).",
            "en": "infinite or NaN values come out: a measurement constant in X_train has a "
            "deviation of 0. Replace it by 1 before dividing (that column becomes 0).",
        },
        "in_place": {
            "es": "modifica el tensor que recibe; devuelve uno nuevo y deja «X» y «X_train» "
            "como estaban.",
            "en": "it changes the tensor it gets; return a new one and leave X and X_train "
            "as they were.",
        },
    }
)
